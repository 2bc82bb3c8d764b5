package store

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestWriterGetsInDuringSteadyReads is issue 17 case 9: while a server
// answered steady traffic (each request opens the store for reading), an
// ingest was refused every time with the false message that another
// process was writing it. Readers now yield to a waiting writer.
func TestWriterGetsInDuringSteadyReads(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	s.Close()

	// Four readers, each holding the store 40 ms at a time, staggered, so
	// that at every moment one of them has it open.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var reads, refused atomic.Int64
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i) * 10 * time.Millisecond)
			for !stop.Load() {
				r, err := Open(dir, Options{ReadOnly: true})
				if err != nil {
					if !errors.Is(err, ErrBusy) {
						t.Errorf("reader: %v", err)
						return
					}
					refused.Add(1)
					time.Sleep(5 * time.Millisecond)
					continue
				}
				reads.Add(1)
				r.Count()
				time.Sleep(40 * time.Millisecond)
				r.Close()
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	w, err := Open(dir, Options{})
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("writer during steady reads: %v", err)
	}
	w.Close()
	if reads.Load() == 0 {
		t.Fatal("the readers never opened the store: the test proves nothing")
	}
}

// TestBusyMessageNamesTheWriter checks that a refused writer or reader is
// told which process holds the store, by pid and command.
func TestBusyMessageNamesTheWriter(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, dir)
	defer s.Close()
	for name, ro := range map[string]bool{"writer": false, "reader": true} {
		_, err := Open(dir, Options{ReadOnly: ro})
		if !errors.Is(err, ErrBusy) {
			t.Fatalf("%s: err %v, want ErrBusy", name, err)
		}
		if msg := err.Error(); !strings.Contains(msg, "trawl process "+strconv.Itoa(os.Getpid())+" ("+os.Args[0]) {
			t.Errorf("%s: busy message %q does not name the pid and command", name, msg)
		}
	}
}
