package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"
)

// peakProfile keeps the heap profile of the moment the live heap was
// largest, for ingest --memprofile: a profile written at the end of a run
// shows what is left, not what made the peak.
type peakProfile struct {
	path string
	stop chan struct{}
	done sync.WaitGroup

	mu   sync.Mutex
	best []byte // the profile of the largest live heap seen
	peak uint64 // that live heap, in bytes
}

// startPeakProfile samples the live heap (runtime/metrics, updated by every
// collection) four times a second and takes a heap profile whenever it has
// grown by a tenth since the last one; Stop writes the last one taken to path.
func startPeakProfile(path string) *peakProfile {
	p := &peakProfile{path: path, stop: make(chan struct{})}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			if live := sample[0].Value.Uint64(); live > p.peak+p.peak/10 {
				p.take(live)
			}
		}
	}()
	return p
}

// take records the heap profile as the one of a live heap of live bytes.
func (p *peakProfile) take(live uint64) {
	var b bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&b, 0); err != nil {
		return
	}
	p.mu.Lock()
	p.best, p.peak = b.Bytes(), live
	p.mu.Unlock()
}

// Stop ends the sampling and writes the profile of the peak, or one taken
// now when the heap never grew enough to be sampled.
func (p *peakProfile) Stop() error {
	close(p.stop)
	p.done.Wait()
	if p.best == nil {
		runtime.GC()
		p.take(0)
	}
	if err := os.WriteFile(p.path, p.best, 0o644); err != nil {
		return fmt.Errorf("memprofile: %w", err)
	}
	return nil
}
