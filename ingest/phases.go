package ingest

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/trawlnews/trawl"
)

// PhaseTime is how long one phase of an ingest took: wall-clock time, and
// the CPU time of the whole process meanwhile (every goroutine, bleve's
// included), so that CPU / Elapsed is the number of cores the phase kept
// busy. CPU is 0 where the system does not report it.
type PhaseTime struct {
	Phase   trawl.Phase
	Elapsed time.Duration
	CPU     time.Duration
}

// phaseJSON is PhaseTime as JSON: durations in milliseconds, like every
// duration trawl prints as JSON; cpu_ms is left out when unknown.
type phaseJSON struct {
	Phase     trawl.Phase `json:"phase"`
	ElapsedMS float64     `json:"elapsed_ms"`
	CPUMS     float64     `json:"cpu_ms,omitempty"`
}

// ms is d in milliseconds, to the microsecond.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// MarshalJSON writes the phase with its durations in milliseconds.
func (p PhaseTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(phaseJSON{p.Phase, ms(p.Elapsed), ms(p.CPU)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *PhaseTime) UnmarshalJSON(b []byte) error {
	var j phaseJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = PhaseTime{Phase: j.Phase, Elapsed: fromMS(j.ElapsedMS), CPU: fromMS(j.CPUMS)}
	return nil
}

// fromMS is the duration of ms milliseconds, to the microsecond that ms
// keeps.
func fromMS(ms float64) time.Duration {
	return time.Duration(math.Round(ms*1000)) * time.Microsecond
}

// Cores is the CPU time of the phase over its wall-clock time: how many
// cores it kept busy on average; 0 when either is unknown.
func (p PhaseTime) Cores() float64 {
	if p.Elapsed <= 0 || p.CPU <= 0 {
		return 0
	}
	return p.CPU.Seconds() / p.Elapsed.Seconds()
}

// phaseClock times the phases of one ingest: each enter ends the phase
// before it. The extract phase starts with the run and holds the walk, the
// reading, extraction and the commits; reconcile starts when the store's
// refresh does, index and compact when the refresh reports them. Its
// methods may be called from any goroutine.
type phaseClock struct {
	mu       sync.Mutex
	cur      trawl.Phase
	since    time.Time
	cpuSince time.Duration
	cpuOK    bool
	done     []PhaseTime
}

// startClock starts the first phase at start.
func startClock(phase trawl.Phase, start time.Time) *phaseClock {
	c := &phaseClock{cur: phase, since: start}
	c.cpuSince, c.cpuOK = processCPU()
	return c
}

// enter ends the current phase now and starts phase, unless phase is the
// current one.
func (c *phaseClock) enter(phase trawl.Phase) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if phase == c.cur {
		return
	}
	if c.cur != "" {
		c.end()
	}
	c.cur = phase
}

// end closes the current phase at the present moment; the next enter
// starts a new one from there. c.mu is held.
func (c *phaseClock) end() {
	now := time.Now()
	cpu, ok := processCPU()
	pt := PhaseTime{Phase: c.cur, Elapsed: now.Sub(c.since)}
	if ok && c.cpuOK {
		pt.CPU = cpu - c.cpuSince
	}
	c.done = append(c.done, pt)
	c.since, c.cpuSince, c.cpuOK = now, cpu, ok
	c.cur = ""
}

// phases ends the current phase, if any, and returns every phase timed.
func (c *phaseClock) phases() []PhaseTime {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur != "" {
		c.end()
	}
	return c.done
}

// DescribePhases writes phases on one line, as the ingest summary and the
// benchmark table print them: "extract 14.5 s (1.8 cores), reconcile
// 2.3 s (1.1 cores), index 24.8 s (1.8 cores)"; the cores are left out
// where the CPU time is unknown.
func DescribePhases(phases []PhaseTime) string {
	var b strings.Builder
	for i, p := range phases {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.1f s", p.Phase, p.Elapsed.Seconds())
		if c := p.Cores(); c > 0 {
			fmt.Fprintf(&b, " (%.1f cores)", c)
		}
	}
	return b.String()
}
