package corpus

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// write creates dir/rel with content, making parent directories.
func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot create symlinks here: %v", err)
	}
}

func rels(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Format+" "+f.Rel)
	}
	return out
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b.txt", "Steel.")
	write(t, dir, "a.md", "Copper.")
	write(t, dir, "a/z.TXT", "Zinc.")
	write(t, dir, "a/b/c.text", "Nickel.")
	write(t, dir, "gold.jsonl", `{"id":"x","text":"y"}`)
	write(t, dir, "x.txt/inner.txt", "a directory named like an article")
	write(t, dir, "photo.png", "\x89PNG")
	write(t, dir, "README", "readme")
	write(t, dir, ".hidden.txt", "hidden")
	write(t, dir, ".git/config.txt", "not an article")
	write(t, dir, "big.txt", strings.Repeat("x", 2048))
	write(t, dir, "bad\xffname.txt", "Steel.")
	symlink(t, "missing.txt", filepath.Join(dir, "dangling.txt"))
	symlink(t, "b.txt", filepath.Join(dir, "link.txt"))
	symlink(t, "loop2.txt", filepath.Join(dir, "loop1.txt"))
	symlink(t, "loop1.txt", filepath.Join(dir, "loop2.txt"))
	symlink(t, "..", filepath.Join(dir, "a", "up"))
	symlink(t, "a/b", filepath.Join(dir, "zlink"))

	files, skipped, err := Walk(context.Background(), dir, Options{MaxFileSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{
		"text a.md",
		"text a/b/c.text",
		"text a/z.TXT",
		"text b.txt",
		"jsonl gold.jsonl",
		"text link.txt",
		"text x.txt/inner.txt",
	}
	if diff := cmp.Diff(wantFiles, rels(files)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	wantSkipped := []Skip{
		{Path: ".hidden.txt", Reason: "hidden file"},
		{Path: "README", Reason: "no file extension"},
		{Path: "a/up", Reason: "symlink loop: same directory as its ancestor ."},
		{Path: "bad\uFFFDname.txt", Reason: "file name is not valid UTF-8"},
		{Path: "big.txt", Reason: "file is 2 KB, over --max-file-size 1 KB", Keep: true},
		{Path: "dangling.txt", Reason: "dangling symlink: target missing.txt does not exist", Keep: true},
		{Path: "loop1.txt", Reason: "symlink loop: loop2.txt cannot be resolved"},
		{Path: "loop2.txt", Reason: "symlink loop: loop1.txt cannot be resolved"},
		{Path: "photo.png", Reason: "unsupported extension .png"},
		{Path: "zlink", Reason: "same directory as a/b, already walked"},
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	for _, f := range files {
		if f.Root != dir || !filepath.IsAbs(f.Abs) || f.ModTime.IsZero() {
			t.Errorf("%s: Root %q Abs %q ModTime %v, want root as given, an absolute path and a time", f.Rel, f.Root, f.Abs, f.ModTime)
		}
	}
}

func TestWalkSingleFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "sub/one.txt", "Steel rose.")
	root := filepath.Join(dir, "sub", "one.txt")
	files, skipped, err := Walk(context.Background(), root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []File{{Root: root, Rel: "one.txt", Abs: root, Size: 11, Format: FormatText}}
	if diff := cmp.Diff(want, files, cmpopts.IgnoreFields(File{}, "ModTime")); diff != "" || len(skipped) > 0 {
		t.Errorf("files (-want +got):\n%s\nskipped: %v", diff, skipped)
	}
}

func TestWalkMissingRoot(t *testing.T) {
	_, _, err := Walk(context.Background(), "no/such/dir", Options{})
	if err == nil || err.Error() != "corpus: walk no/such/dir: no such file or directory" {
		t.Errorf("err = %v, want it to name the missing root", err)
	}
}

func TestWalkUnreadable(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permissions are not enforced for root or on windows")
	}
	dir := t.TempDir()
	write(t, dir, "locked/a.txt", "Steel.")
	write(t, dir, "secret.txt", "Copper.")
	write(t, dir, "ok.txt", "Zinc.")
	os.Chmod(filepath.Join(dir, "secret.txt"), 0)
	os.Chmod(filepath.Join(dir, "locked"), 0)
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	files, skipped, err := Walk(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Skip{
		{Path: "locked", Reason: "unreadable directory: permission denied", Keep: true, Dir: true},
		{Path: "secret.txt", Reason: "unreadable file: permission denied", Keep: true},
	}
	if diff := cmp.Diff(want, skipped); diff != "" || len(files) != 1 {
		t.Errorf("skipped (-want +got):\n%s\nfiles: %v", diff, rels(files))
	}
}

func TestWalkCancel(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "a.txt", "Steel.")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := Walk(ctx, dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("err = %v, want context canceled", err)
	}
}

func TestHumanSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1 KB"}, {20 << 20, "20 MB"},
		{43935000, "41.9 MB"}, {3 << 30, "3 GB"},
	}
	for _, tt := range tests {
		if got := humanSize(tt.n); got != tt.want {
			t.Errorf("humanSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestWalkLargeDirectory walks a directory large enough for its entries to
// be stat'ed in parallel (statAll) and checks it finds what a walk of the
// same entries in a small directory finds: every article in order with its
// size, and the same skips.
func TestWalkLargeDirectory(t *testing.T) {
	big := t.TempDir()
	var want []string
	var wantSkips []string
	for i := range 700 {
		name := fmt.Sprintf("a%04d", i)
		switch i % 7 {
		case 3:
			write(t, big, name+".pdf", "x")
			wantSkips = append(wantSkips, name+".pdf: unsupported extension .pdf")
		case 5:
			write(t, big, name+".jsonl", `{"id":"x","text":"y"}`+"\n")
			want = append(want, "jsonl "+name+".jsonl")
		default:
			write(t, big, name+".txt", strings.Repeat("w", i))
			want = append(want, "text "+name+".txt")
		}
	}
	write(t, big, "sub/inner.txt", "inner")
	want = append(want, "text sub/inner.txt")
	write(t, big, ".hidden.txt", "h")
	wantSkips = append([]string{".hidden.txt: hidden file"}, wantSkips...)
	files, skipped, err := Walk(context.Background(), big, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, rels(files)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	var gotSkips []string
	for _, sk := range skipped {
		gotSkips = append(gotSkips, sk.Path+": "+sk.Reason)
	}
	if diff := cmp.Diff(wantSkips, gotSkips); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	for _, f := range files {
		fi, err := os.Stat(f.Abs)
		if err != nil || fi.Size() != f.Size || !fi.ModTime().Equal(f.ModTime) {
			t.Errorf("%s: size %d, mtime %v; the file has %v (%v)", f.Rel, f.Size, f.ModTime, fi, err)
			break
		}
	}
}
