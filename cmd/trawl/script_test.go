package main

import (
	"context"
	"os"
	"path/filepath"
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

// TestScripts runs the CLI cases in testdata/script/*.txtar: each holds a
// command, its input files and the expected output.
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
			return nil
		},
	})
}
