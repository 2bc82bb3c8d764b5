package corpus

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestReadHugeLine reads a file that is one 40 MB line: over the default
// --max-file-size it is skipped with the sizes in the reason; with the limit
// raised it is read whole, as one article, in seconds.
func TestReadHugeLine(t *testing.T) {
	dir := t.TempDir()
	unit := "The delegates met again and copper rose 5% as Scott Bessent spoke on June 3, 2025; "
	line := strings.Repeat(unit, (40<<20)/len(unit)) + "end\n"
	if err := os.WriteFile(filepath.Join(dir, "line.txt"), []byte(line), 0o644); err != nil {
		t.Fatal(err)
	}
	_, skipped, err := Walk(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Skip{{Path: "line.txt", Reason: "file is 40 MB, over --max-file-size 20 MB", Keep: true}}, skipped); diff != "" {
		t.Errorf("default limit: skipped (-want +got):\n%s", diff)
	}
	opts := Options{MaxFileSize: 64 << 20}
	files, _, err := Walk(context.Background(), dir, opts)
	if err != nil || len(files) != 1 {
		t.Fatalf("raised limit: %d files, err %v", len(files), err)
	}
	start := time.Now()
	arts, problems, err := Read(files[0], opts)
	d := time.Since(start)
	if err != nil || len(problems) > 0 || len(arts) != 1 {
		t.Fatalf("Read: %d articles, problems %v, err %v", len(arts), problems, err)
	}
	if got := len(arts[0].Text); got != len(line) {
		t.Errorf("text is %d bytes, want the whole line (%d)", got, len(line))
	}
	t.Logf("read a %d MB line in %s", len(line)>>20, d.Round(time.Millisecond))
}
