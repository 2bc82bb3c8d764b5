package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/urfave/cli/v3"

	"github.com/trawlnews/trawl/cluster"
	"github.com/trawlnews/trawl/ingest"
	"github.com/trawlnews/trawl/store"
)

func workerCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "worker",
		Usage: "extract batches of articles queued by trawl ingest --nats (runs until interrupted)",
		Description: "Pulls batches from the NATS JetStream work queue that trawl ingest --nats fills (long\n" +
			"texts from the JetStream object store), extracts them and publishes the results.\n" +
			"Start any number, on any machine that reaches the NATS servers; no shared file system\n" +
			"and no store are needed. See docs/cluster.md.",
		Flags: append(clusterFlags(),
			&cli.IntFlag{Name: "workers", Usage: "articles extracted at once (default: GOMAXPROCS)"},
			&cli.StringFlag{Name: "name", Usage: "name of this worker in results and logs (default: host:pid)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "log only problems, not each batch"},
		),
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("worker: takes no arguments (got %q)", c.Args().First())
			}
			if c.String("nats") == "" {
				return usagef("worker: give the NATS servers with --nats URL")
			}
			copts, err := clusterOptions(c)
			if err != nil {
				return err
			}
			nc, err := connectNATS(c.String("nats"), "trawl worker", e.stderr)
			if err != nil {
				return err
			}
			defer nc.Close()
			opts := cluster.WorkerOptions{Cluster: copts, Workers: c.Int("workers"), Name: c.String("name")}
			var mu sync.Mutex
			opts.Problem = func(err error) {
				mu.Lock()
				defer mu.Unlock()
				fmt.Fprintf(e.stderr, "warning: %v\n", err)
			}
			if !c.Bool("quiet") {
				opts.Done = func(b cluster.BatchDone) {
					mu.Lock()
					defer mu.Unlock()
					again := ""
					if b.Delivered > 1 {
						again = fmt.Sprintf(" (delivery %d)", b.Delivered)
					}
					fmt.Fprintf(e.stderr, "batch %s.%d: %d articles in %s%s\n", b.Run, b.Seq, b.Articles, b.Elapsed.Round(time.Millisecond), again)
				}
			}
			fmt.Fprintf(e.stderr, "worker: pulling batches from %s (interrupt to stop)\n", nc.ConnectedUrlRedacted())
			return cluster.Work(ctx, nc, opts)
		},
	}
}

// clusterFlags are the settings of the JetStream streams, which the
// coordinator and the workers must agree on.
func clusterFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "nats", Usage: "NATS server `URL`s, comma-separated (nats://host:4222,...)"},
		&cli.IntFlag{Name: "replicas", Usage: "servers keeping each stream (default: 1 on a lone server, 3 in a cluster)"},
		&cli.DurationFlag{Name: "ack-wait", Value: 30 * time.Second, Usage: "time a batch may go without word from its worker before another gets it"},
		&cli.IntFlag{Name: "max-deliver", Value: 5, Usage: "deliveries of a batch before the coordinator extracts it itself"},
	}
}

func clusterOptions(c *cli.Command) (cluster.Options, error) {
	o := cluster.Options{Replicas: c.Int("replicas"), AckWait: c.Duration("ack-wait"), MaxDeliver: c.Int("max-deliver")}
	if o.Replicas < 0 || o.AckWait < time.Second || o.MaxDeliver < 1 {
		return o, usagef("want --replicas of 0 or more, --ack-wait of 1s or more and --max-deliver of 1 or more")
	}
	return o, nil
}

// connectNATS connects to the NATS servers at url, reconnecting to any
// of them for as long as the command runs, and says so on w.
func connectNATS(url, name string, w io.Writer) (*nats.Conn, error) {
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if err != nil {
				fmt.Fprintf(w, "warning: nats: disconnected: %v\n", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			fmt.Fprintf(w, "nats: reconnected to %s\n", nc.ConnectedUrlRedacted())
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("nats: connect %s: %w", url, err)
	}
	return nc, nil
}

// clusterIngest is trawl ingest --nats: ingest.Run with the extraction done
// by the workers, with the batches in the progress and the summary.
func clusterIngest(ctx context.Context, c *cli.Command, e *env, s *store.Store, opts ingest.Options) (*ingest.Summary, *cluster.Stats, error) {
	copts, err := clusterOptions(c)
	if err != nil {
		return nil, nil, err
	}
	nc, err := connectNATS(c.String("nats"), "trawl ingest", e.stderr)
	if err != nil {
		return nil, nil, err
	}
	defer nc.Close()
	iopts := cluster.IngestOptions{Ingest: opts, Cluster: copts}
	if !c.Bool("quiet") {
		var last time.Time
		iopts.Progress = func(st cluster.Stats) {
			if now := time.Now(); now.Sub(last) >= 2*time.Second || st.Done == st.Queued {
				last = now
				fmt.Fprintf(e.stderr, "batches: %d queued, %d done, %d redelivered\n", st.Queued, st.Done, st.Redelivered)
			}
		}
	}
	sum, st, err := cluster.Ingest(ctx, nc, s, c.Args().Slice(), iopts)
	return sum, &st, err
}

// writeBatches prints what went through NATS in an ingest --nats.
func writeBatches(w io.Writer, st *cluster.Stats) {
	fmt.Fprintf(w, "  batches:  %d queued, %d done, %d redelivered, %d duplicate results dropped, %d extracted here; %d texts in batches, %d uploaded\n",
		st.Queued, st.Done, st.Redelivered, st.Duplicates, st.Local, st.Inline, st.Uploaded)
}
