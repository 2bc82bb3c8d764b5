package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the txtar scripts run "trawl" as a real command built from
// this test binary.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"trawl": func() { os.Exit(run(context.Background(), os.Args, os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the CLI cases in testdata/script/*.txtar: each holds
// commands, their input files and the expected output. $ARTICLES names the
// sample articles; TRAWL_STORE is a store in the script's work directory.
func TestScripts(t *testing.T) {
	articles, err := filepath.Abs(filepath.Join("..", "..", "testdata", "articles"))
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: filepath.Join("testdata", "script"),
		Setup: func(e *testscript.Env) error {
			e.Setenv("ARTICLES", articles)
			e.Setenv("TRAWL_STORE", filepath.Join(e.WorkDir, "store"))
			// Under -race every trawl the scripts run would sleep 1 s as it
			// exits, waiting for races that a command run to its end has
			// already had the chance to show.
			e.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits},
	})
}

// exits is the script command "exits N PROG ARGS...": it runs PROG as exec
// does, keeping its stdout and stderr for the next checks, and fails unless
// PROG exits with status N (exec only tells zero from non-zero).
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N PROG ARGS...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit status", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}
