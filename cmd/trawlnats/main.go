// Command trawlnats runs NATS JetStream inside one process, for trying
// trawl's distributed ingest without installing anything (make
// demo-cluster): a lone server, or a cluster of -nodes servers, on
// 127.0.0.1, and -workers trawl workers connected to it. It prints the
// client URL (and writes it to -url-file) and runs until interrupted.
//
//	trawlnats -workers 2 -url-file /tmp/nats.url &
//	trawl ingest --nats "$(cat /tmp/nats.url)" testdata/articles
//
// A real deployment runs nats-server on each machine and trawl worker
// wherever there are cores to spare (docs/cluster.md).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"sync"
	"syscall"

	"github.com/nats-io/nats.go"

	"github.com/trawlnews/trawl/cluster"
	"github.com/trawlnews/trawl/cluster/embedded"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("trawlnats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "directory for the streams (default: a temporary one, removed at exit)")
	port := fs.Int("port", 0, "client port of a lone server (0: any free port)")
	nodes := fs.Int("nodes", 1, "servers in the cluster (1, or 3 and more for replicated streams)")
	workers := fs.Int("workers", 0, "trawl workers to run in this process")
	urlFile := fs.String("url-file", "", "write the client URL to this file once the servers are ready")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (servers and workers) to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *nodes < 1 || *workers < 0 {
		fmt.Fprintln(stderr, "trawlnats: want -nodes of 1 or more and -workers of 0 or more")
		return 2
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "trawlnats: -cpuprofile: %v\n", err)
			return 1
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if err := serve(ctx, *dir, *port, *nodes, *workers, *urlFile, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "trawlnats: %v\n", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, dir string, port, nodes, workers int, urlFile string, stdout, stderr io.Writer) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "trawlnats-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	var urls string
	if nodes == 1 {
		s, err := embedded.Server(dir, port)
		if err != nil {
			return err
		}
		defer embedded.Shutdown(s)
		urls = s.ClientURL()
	} else {
		servers, err := embedded.Cluster(dir, nodes)
		if err != nil {
			return err
		}
		defer embedded.Shutdown(servers...)
		urls = embedded.URLs(servers)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	wctx, stopWorkers := context.WithCancel(ctx)
	defer stopWorkers()
	for i := range workers {
		nc, err := nats.Connect(urls, nats.Name("trawlnats worker"), nats.MaxReconnects(-1))
		if err != nil {
			return fmt.Errorf("connect worker %d: %w", i, err)
		}
		defer nc.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			opts := cluster.WorkerOptions{Name: fmt.Sprintf("worker-%d", i)}
			opts.Problem = func(err error) { fmt.Fprintf(stderr, "worker-%d: warning: %v\n", i, err) }
			if err := cluster.Work(wctx, nc, opts); err != nil {
				fmt.Fprintf(stderr, "worker-%d: %v\n", i, err)
			}
		}()
	}
	fmt.Fprintf(stdout, "trawlnats: JetStream on %s (%d server(s), %d worker(s)); interrupt to stop\n", urls, nodes, workers)
	if urlFile != "" {
		if err := os.WriteFile(urlFile, []byte(urls+"\n"), 0o644); err != nil {
			return err
		}
	}
	<-ctx.Done()
	return nil
}
