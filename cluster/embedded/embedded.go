// Package embedded runs NATS JetStream servers inside the process, on
// 127.0.0.1 and free ports: a lone server or a cluster of several, for the
// tests of package cluster and for cmd/trawlnats (make demo-cluster). trawl
// itself never links it: a real deployment runs nats-server (docs/cluster.md).
package embedded

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startWait bounds how long a server may take to accept clients, and a
// cluster to elect its JetStream meta leader.
const startWait = 30 * time.Second

// Server starts one JetStream server listening on 127.0.0.1 (port 0 picks a
// free one) that keeps its streams under dir.
func Server(dir string, port int) (*server.Server, error) {
	if port == 0 {
		port = -1
	}
	return start(&server.Options{
		ServerName: "trawl-0",
		Host:       "127.0.0.1",
		Port:       port,
		JetStream:  true,
		StoreDir:   dir,
		NoLog:      true,
		NoSigs:     true,
	})
}

// clusterTries is how many times Cluster starts a cluster on new route
// ports before it gives up.
const clusterTries = 3

// Cluster starts n JetStream servers routed to each other as one cluster
// on 127.0.0.1, each keeping its streams under dir/node-i, and waits until
// they have elected a JetStream meta leader.
//
// The route ports must be chosen before the first server starts, so another
// process can take one between the choice and the listen; the server then
// never becomes ready. Cluster then stops what it started and tries again
// on new ports, in a new directory, up to clusterTries times.
func Cluster(dir string, n int) ([]*server.Server, error) {
	var err error
	for try := range clusterTries {
		d := dir
		if try > 0 {
			d = filepath.Join(dir, fmt.Sprintf("try-%d", try))
		}
		var servers []*server.Server
		if servers, err = startCluster(d, n); err == nil {
			return servers, nil
		}
	}
	return nil, err
}

// startCluster is one attempt of Cluster.
func startCluster(dir string, n int) ([]*server.Server, error) {
	ports, err := pickPorts(n)
	if err != nil {
		return nil, err
	}
	var routes []string
	for _, p := range ports {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	var servers []*server.Server
	for i := range n {
		s, err := startWithin(routeWait, &server.Options{
			ServerName: fmt.Sprintf("trawl-%d", i),
			Host:       "127.0.0.1",
			Port:       -1,
			JetStream:  true,
			StoreDir:   filepath.Join(dir, fmt.Sprintf("node-%d", i)),
			Cluster:    server.ClusterOpts{Name: "trawl", Host: "127.0.0.1", Port: ports[i]},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
			NoLog:      true,
			NoSigs:     true,
		})
		if err != nil {
			Shutdown(servers...)
			return nil, err
		}
		servers = append(servers, s)
	}
	deadline := time.Now().Add(startWait)
	for !hasLeader(servers) {
		if time.Now().After(deadline) {
			Shutdown(servers...)
			return nil, fmt.Errorf("embedded: no JetStream leader among %d servers after %s", n, startWait)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return servers, nil
}

// URLs returns the client URLs of servers, comma-separated, as
// nats.Connect takes them.
func URLs(servers []*server.Server) string {
	var urls []string
	for _, s := range servers {
		urls = append(urls, s.ClientURL())
	}
	return strings.Join(urls, ",")
}

// Shutdown stops every server and waits until each has stopped.
func Shutdown(servers ...*server.Server) {
	for _, s := range servers {
		s.Shutdown()
		s.WaitForShutdown()
	}
}

// routeWait bounds how long a cluster's server may take to listen for
// clients and routes before Cluster tries again on other ports (a
// variable so that a test can shorten it).
var routeWait = 10 * time.Second

func start(opts *server.Options) (*server.Server, error) {
	return startWithin(startWait, opts)
}

// startWithin starts a server and waits up to d for it to accept
// connections.
func startWithin(d time.Duration, opts *server.Options) (*server.Server, error) {
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(d) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded: server %s not ready after %s", opts.ServerName, d)
	}
	return s, nil
}

// hasLeader reports whether one of servers is the JetStream meta leader
// and every one is current with it.
func hasLeader(servers []*server.Server) bool {
	leader := false
	for _, s := range servers {
		leader = leader || s.JetStreamIsLeader()
		if !s.JetStreamIsCurrent() {
			return false
		}
	}
	return leader
}

// pickPorts chooses the route ports of a cluster: freePorts, or in a test
// a function that hands out a port already taken.
var pickPorts = freePorts

// freePorts finds n ports free on 127.0.0.1 for the cluster routes, which
// must be known before the first server starts.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("embedded: find a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}
