package corpus

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSymlinksOutOfTheFolder is issue 17 case 15: symlinks that leave the
// walked folder were followed silently (/etc/passwd was ingested and
// served). They are now skipped and reported unless FollowSymlinks is set;
// a symlink that stays inside the folder is followed as before.
func TestSymlinksOutOfTheFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on windows")
	}
	dir, outside := t.TempDir(), t.TempDir()
	for name, body := range map[string]string{
		filepath.Join(outside, "secret.txt"):      "Not for the index.\n",
		filepath.Join(outside, "sub", "more.txt"): "Nor this.\n",
		filepath.Join(dir, "a.txt"):               "Copper rose 2%.\n",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"passwd.txt": filepath.Join(outside, "secret.txt"),
		"far":        filepath.Join(outside, "sub"),
		"up.txt":     "../" + filepath.Base(outside) + "/secret.txt",
		"near.txt":   "a.txt",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	real := func(p string) string { r, _ := filepath.EvalSymlinks(p); return r }
	files, skipped, err := Walk(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantSkipped := []Skip{
		{Path: "far", Reason: "symlink to " + real(filepath.Join(outside, "sub")) + ", outside the folder: not followed (--follow-symlinks follows it)"},
		{Path: "passwd.txt", Reason: "symlink to " + real(filepath.Join(outside, "secret.txt")) + ", outside the folder: not followed (--follow-symlinks follows it)"},
		{Path: "up.txt", Reason: "symlink to " + real(filepath.Join(outside, "secret.txt")) + ", outside the folder: not followed (--follow-symlinks follows it)"},
	}
	if diff := cmp.Diff(wantSkipped, skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"text a.txt", "text near.txt"}, rels(files)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	files, skipped, err = Walk(context.Background(), dir, Options{FollowSymlinks: true})
	if err != nil || len(skipped) != 0 {
		t.Fatalf("with FollowSymlinks: %v, skipped %v", err, skipped)
	}
	if diff := cmp.Diff([]string{"text a.txt", "text far/more.txt", "text near.txt", "text passwd.txt", "text up.txt"}, rels(files)); diff != "" {
		t.Errorf("with FollowSymlinks, files (-want +got):\n%s", diff)
	}
}
