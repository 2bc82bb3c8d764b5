package embedded

import (
	"net"
	"testing"
	"time"
)

// TestClusterRetriesATakenRoutePort gives the first attempt a route port
// that another listener holds, as happens when another process binds it
// between the choice and the listen: the cluster must still start, on new
// ports, and elect a leader.
func TestClusterRetriesATakenRoutePort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	oldPick, oldWait := pickPorts, routeWait
	t.Cleanup(func() { pickPorts, routeWait = oldPick, oldWait })
	routeWait = 2 * time.Second
	calls := 0
	pickPorts = func(n int) ([]int, error) {
		calls++
		ports, err := freePorts(n)
		if calls == 1 && err == nil {
			ports[0] = taken.Addr().(*net.TCPAddr).Port
		}
		return ports, err
	}
	servers, err := Cluster(t.TempDir(), 3)
	if err != nil {
		t.Fatalf("Cluster with a taken route port on the first try: %v", err)
	}
	defer Shutdown(servers...)
	if calls < 2 {
		t.Errorf("Cluster chose ports %d time(s), want a second try after the taken port", calls)
	}
	if !hasLeader(servers) {
		t.Errorf("the cluster has no JetStream leader")
	}
}
