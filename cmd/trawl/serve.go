package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"

	"github.com/urfave/cli/v3"
	"golang.org/x/net/netutil"

	"github.com/trawlnews/trawl/store"
	"github.com/trawlnews/trawl/web"
)

// shutdownGrace is how long serve waits for requests in flight on Ctrl-C.
const shutdownGrace = 5 * time.Second

func serveCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "browse and search the store in a web browser, with a JSON API (read-only)",
		Description: "Serves a search page with facets, article pages with their mentions highlighted,\n" +
			"people with their name variants and roles, and the discrepancy report, plus the\n" +
			"JSON API of docs/api.md. The store is only read, and opened per request, so\n" +
			"trawl ingest can update it while the server runs (requests meanwhile get 503).\n" +
			"It listens on 127.0.0.1 unless --addr says otherwise.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "`HOST:PORT` to listen on; port 0 picks a free port"},
			&cli.StringSliceFlag{Name: "allow-host", Usage: "a host `NAME` browsers may reach the server as, besides localhost, its IP addresses and the --addr host (repeatable)"},
		},
		Action: func(ctx context.Context, c *cli.Command) error {
			if c.NArg() > 0 {
				return usagef("serve: unexpected argument %q (the store is chosen with --store)", c.Args().First())
			}
			addr := c.String("addr")
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return usagef("serve: --addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
			}
			dir := c.String("store")
			s, err := openStore(c, true)
			switch {
			case errors.Is(err, store.ErrBusy):
				fmt.Fprintf(e.stderr, "trawl: serve: %v\ntrawl: serve: starting anyway; pages answer 503 until the ingest finishes\n", err)
			case err != nil:
				return err
			default:
				s.Close()
			}

			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("serve: listen on %s: %w", addr, err)
			}
			if ta, ok := ln.Addr().(*net.TCPAddr); ok && !ta.IP.IsLoopback() {
				fmt.Fprintf(e.stderr, "trawl: serve: warning: listening on %s, which other machines can reach; the store's articles are visible to anyone who can connect (use --addr 127.0.0.1:PORT to keep it local)\n", ln.Addr())
			}
			ln = netutil.LimitListener(ln, web.MaxConnections)
			srv := web.NewServer(addr, web.Options{
				Store:      dir,
				AllowHosts: c.StringSlice("allow-host"),
				Logf:       log.New(e.stderr, "trawl: serve: ", log.LstdFlags).Printf,
			})
			fmt.Fprintf(e.stdout, "trawl: serving %s at http://%s/ (Ctrl-C to stop)\n", dir, ln.Addr())

			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return fmt.Errorf("serve: %w", err)
			case <-ctx.Done():
			}
			sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
			defer cancel()
			err = srv.Shutdown(sctx)
			if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
				err = serr
			}
			if err != nil {
				return fmt.Errorf("serve: shut down: %w", err)
			}
			fmt.Fprintln(e.stdout, "trawl: server stopped")
			return nil
		},
	}
}
