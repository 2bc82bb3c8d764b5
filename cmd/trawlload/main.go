// Command trawlload is a bounded load test for trawl serve: it starts the
// server on a loopback port over a store (or targets one already running on
// loopback), runs concurrent clients searching for a fixed time, and reports
// requests, errors, latency percentiles and the server's memory over time.
//
//	trawlload -bin bin/trawl -store /tmp/store10x -clients 50 -duration 20s
//
// It refuses any target that is not a loopback address, and exits 1 when a
// request failed.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// queries are what the clients search for, in turn: people (of the sample
// articles and of the Reuters-style benchmark corpus), commodities, phrases,
// filters, sorting and later pages.
var queries = []string{
	"q=Bessent",
	"q=Reagan",
	"q=Volcker+dollar",
	"q=James+Baker&sort=date",
	"q=tariffs",
	"q=OPEC+oil&limit=50",
	"q=%22crude+oil%22",
	"q=coffee+prices&page=3",
	"q=wheat+-corn",
	"q=%2Bsoybeans+%2Bexports",
	"q=Yeutter&from=1987-01-01&to=1987-12-31",
	"q=gold&commodity=gold",
	"q=tarif~1",
	"q=soyb*",
	"q=steel&person=Reagan",
	"q=",
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// result is the outcome of one request.
type result struct {
	took time.Duration
	err  error
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trawlload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "bin/trawl", "trawl binary to start the server with")
	storeDir := fs.String("store", "", "store to serve (starts trawl serve)")
	target := fs.String("url", "", "base URL of a running trawl serve on loopback, instead of -store")
	clients := fs.Int("clients", 50, "concurrent clients")
	duration := fs.Duration("duration", 20*time.Second, "how long the clients search")
	sample := fs.Duration("sample", 2*time.Second, "how often the server's memory is sampled")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if (*storeDir == "") == (*target == "") {
		fmt.Fprintln(stderr, "trawlload: give either -store (start a server) or -url (use a running one)")
		return 2
	}
	if *clients < 1 || *clients > 500 || *duration <= 0 || *duration > 10*time.Minute {
		fmt.Fprintln(stderr, "trawlload: -clients must be 1..500 and -duration at most 10m")
		return 2
	}

	base, pid := *target, 0
	if *storeDir != "" {
		srv, addr, err := startServer(*bin, *storeDir, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "trawlload: %v\n", err)
			return 1
		}
		defer func() {
			srv.Process.Signal(os.Interrupt)
			srv.Wait()
		}()
		base, pid = addr, srv.Process.Pid
	}
	if err := checkLoopback(base); err != nil {
		fmt.Fprintf(stderr, "trawlload: %v\n", err)
		return 2
	}
	base = strings.TrimSuffix(base, "/")

	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *clients, MaxConnsPerHost: *clients},
	}
	// One warm-up request per query, so the report measures the steady state.
	for _, q := range queries {
		if err := get(client, base+"/api/search?"+q); err != nil {
			fmt.Fprintf(stderr, "trawlload: warm-up %s: %v\n", q, err)
			return 1
		}
	}

	var rss []string
	stopSampling := make(chan struct{})
	var sampled sync.WaitGroup
	if pid != 0 {
		sampled.Go(func() {
			start := time.Now()
			tick := time.NewTicker(*sample)
			defer tick.Stop()
			for {
				rss = append(rss, fmt.Sprintf("%3.0fs %s", time.Since(start).Seconds(), rssOf(pid)))
				select {
				case <-stopSampling:
					return
				case <-tick.C:
				}
			}
		})
	}

	ctx, cancel := context.WithTimeout(context.Background(), *duration)
	defer cancel()
	results := make([][]result, *clients)
	var wg sync.WaitGroup
	start := time.Now()
	for c := range *clients {
		wg.Go(func() {
			for i := c; ctx.Err() == nil; i++ {
				t0 := time.Now()
				err := get(client, base+"/api/search?"+queries[i%len(queries)])
				if ctx.Err() != nil && err != nil {
					break // cut off by the end of the run, not a failure
				}
				results[c] = append(results[c], result{time.Since(t0), err})
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	if pid != 0 {
		close(stopSampling)
		sampled.Wait()
		rss = append(rss, fmt.Sprintf("end %s", rssOf(pid)))
	}

	var took []time.Duration
	errs := map[string]int{}
	nerr := 0
	for _, rs := range results {
		for _, r := range rs {
			took = append(took, r.took)
			if r.err != nil {
				nerr++
				errs[r.err.Error()]++
			}
		}
	}
	slices.Sort(took)
	pct := func(p float64) time.Duration {
		if len(took) == 0 {
			return 0
		}
		return took[min(len(took)-1, int(p*float64(len(took))))]
	}
	fmt.Fprintf(stdout, "trawlload: %d clients searching %s for %s\n", *clients, base, *duration)
	fmt.Fprintf(stdout, "  requests: %d (%.0f/s), errors: %d\n", len(took), float64(len(took))/elapsed.Seconds(), nerr)
	fmt.Fprintf(stdout, "  latency:  p50 %s, p90 %s, p99 %s, max %s\n",
		pct(0.50).Round(time.Millisecond), pct(0.90).Round(time.Millisecond), pct(0.99).Round(time.Millisecond), pct(1).Round(time.Millisecond))
	if len(rss) > 0 {
		fmt.Fprintf(stdout, "  server RSS: %s\n", strings.Join(rss, ", "))
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(stdout, "  error x%d: %s\n", errs[k], k)
	}
	if nerr > 0 {
		return 1
	}
	return 0
}

// get fetches url and fails on anything but 200.
func get(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	return nil
}

var servingRE = regexp.MustCompile(`at (http://\S+?)/? `)

// startServer starts trawl serve on a free loopback port and returns it with
// its base URL.
func startServer(bin, dir string, stderr io.Writer) (*exec.Cmd, string, error) {
	cmd := exec.Command(bin, "--store", dir, "serve", "--addr", "127.0.0.1:0")
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", fmt.Errorf("start %s: %w", bin, err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case addr, ok := <-found:
		if ok {
			return cmd, addr, nil
		}
	case <-time.After(30 * time.Second):
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, "", errors.New("trawl serve did not say where it listens")
}

// checkLoopback refuses a target that other machines could be, so the load
// test never leaves this machine.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return fmt.Errorf("-url %q: want http://127.0.0.1:PORT", base)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-url %q: only loopback addresses are load-tested", base)
	}
	return nil
}

// rssOf reads the resident set size of a process from /proc, as "123 MB".
func rssOf(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.Atoi(f[1])
			return fmt.Sprintf("%d MB", kb>>10)
		}
	}
	return "?"
}
