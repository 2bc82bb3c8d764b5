package corpus

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"
)

// The values of File.Format.
const (
	FormatText  = "text"  // one article per file: .txt .text .md .markdown
	FormatJSONL = "jsonl" // one article per line: .jsonl .ndjson
)

// formats maps a lower-case file extension to the format it is read as.
var formats = map[string]string{
	".txt":      FormatText,
	".text":     FormatText,
	".md":       FormatText,
	".markdown": FormatText,
	".jsonl":    FormatJSONL,
	".ndjson":   FormatJSONL,
}

// File is one candidate input found by Walk.
type File struct {
	Root    string    // the root passed to Walk, as given
	Rel     string    // slash-separated path relative to Root (for a single-file root: its base name)
	Abs     string    // absolute path
	Size    int64     // size in bytes when listed
	ModTime time.Time // modification time when listed
	Format  string    // "text" (.txt .text .md) or "jsonl"
}

// Skip is a file Walk or Read did not use, and why. Path is slash-separated
// and relative to the root, like File.Rel.
type Skip struct {
	Path, Reason string
	// Keep says the file (or, with Dir, every file under the directory)
	// exists but cannot be read now: unreadable, over the size limit, a
	// symlink whose target is missing. An ingest keeps what it stored of it
	// rather than losing it to a passing condition.
	Keep bool `json:"-"`
	Dir  bool `json:"-"`
}

// Walk lists the article files under root, recursively, sorted by Rel. root
// may be a single file. Files that cannot be used (unsupported extension,
// hidden, too big, unreadable, dangling symlinks, symlink loops...) are
// returned in skipped with the reason (Skip.Keep marks those that exist but
// cannot be read now), sorted by Path; directories whose name
// starts with '.' are left out silently. Symlinks are followed; a directory
// reached twice is walked once; a symlink whose target is outside root is
// skipped unless Options.FollowSymlinks is set. err is set only when root itself cannot be
// read or ctx is cancelled, in which case files and skipped hold what was
// found so far.
func Walk(ctx context.Context, root string, opts Options) (files []File, skipped []Skip, err error) {
	fi, err := os.Stat(root)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: walk %s: %w", root, unwrapPath(err))
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, nil, fmt.Errorf("corpus: walk %s: %w", root, err)
	}
	w := &walker{ctx: ctx, root: root, limit: opts.maxFileSize(), seen: map[dirID]string{}, follow: opts.FollowSymlinks}
	if w.realRoot, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, nil, fmt.Errorf("corpus: walk %s: %w", root, unwrapPath(err))
	}
	if fi.IsDir() {
		err = w.dir(abs, "", fi, nil)
	} else {
		w.file(abs, filepath.Base(abs), fi, nil)
	}
	slices.SortFunc(w.files, func(a, b File) int { return strings.Compare(a.Rel, b.Rel) })
	slices.SortFunc(w.skipped, func(a, b Skip) int { return strings.Compare(a.Path, b.Path) })
	if err != nil {
		return w.files, w.skipped, fmt.Errorf("corpus: walk %s: %w", root, err)
	}
	return w.files, w.skipped, nil
}

// walker holds the state of one Walk.
type walker struct {
	ctx     context.Context
	root    string
	limit   int64
	seen    map[dirID]string // directories walked so far -> their Rel
	files   []File
	skipped []Skip
	// realRoot is the root with its symlinks resolved; follow says whether
	// symlinks that lead outside it are followed (Options.FollowSymlinks).
	realRoot string
	follow   bool
}

// skip records a path that is not used.
func (w *walker) skip(rel, reason string) {
	w.skipped = append(w.skipped, Skip{Path: rel, Reason: reason})
}

// keep records a path that exists but cannot be used now, whose stored
// articles an ingest keeps; dir says it is a directory.
func (w *walker) keep(rel, reason string, dir bool) {
	w.skipped = append(w.skipped, Skip{Path: rel, Reason: reason, Keep: true, Dir: dir})
}

// outside returns the target of the symlink abs when it resolves to a path
// outside the root and symlinks out of the root are not followed.
func (w *walker) outside(abs string) (string, bool) {
	if w.follow {
		return "", false
	}
	target, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", false
	}
	rel, err := filepath.Rel(w.realRoot, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return target, true
	}
	return "", false
}

// dir walks the directory abs, whose path relative to the root is rel ("" for
// the root). ancestors are the Rels of the directories above it, for loop
// reports.
func (w *walker) dir(abs, rel string, fi fs.FileInfo, ancestors []string) error {
	if err := w.ctx.Err(); err != nil {
		return err
	}
	if id, ok := idOf(fi); ok {
		if prev, dup := w.seen[id]; dup {
			if isAncestor(prev, ancestors) {
				w.skip(rel, fmt.Sprintf("symlink loop: same directory as its ancestor %s", displayDir(prev)))
			} else {
				w.skip(rel, fmt.Sprintf("same directory as %s, already walked", displayDir(prev)))
			}
			return nil
		}
		w.seen[id] = rel
	}
	entries, err := os.ReadDir(abs)
	if err != nil && len(entries) == 0 {
		if rel == "" {
			return unwrapPath(err)
		}
		w.keep(rel, "unreadable directory: "+unwrapPath(err).Error(), true)
		return nil
	}
	if err != nil {
		w.keep(rel, "directory partly unreadable: "+unwrapPath(err).Error(), true)
	}
	ancestors = append(ancestors, rel)
	w.files = slices.Grow(w.files, len(entries))
	pre := statAll(abs, entries)
	for i, e := range entries {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		childAbs := filepath.Join(abs, name)
		childRel := name
		if rel != "" {
			childRel = rel + "/" + name
		}
		hidden := strings.HasPrefix(name, ".")
		var info fs.FileInfo
		if e.Type()&fs.ModeSymlink != 0 {
			info, err = os.Stat(childAbs)
			if err != nil {
				if hidden {
					w.skip(childRel, "hidden file")
					continue
				}
				if errors.Is(err, syscall.ELOOP) {
					w.skip(childRel, symlinkProblem(childAbs, err))
				} else {
					w.keep(childRel, symlinkProblem(childAbs, err), false)
				}
				continue
			}
			if target, out := w.outside(childAbs); out && !hidden {
				w.skip(childRel, "symlink to "+target+", outside the folder: not followed (--follow-symlinks follows it)")
				continue
			}
		} else {
			info, err = pre[i].info, pre[i].err
			if info == nil && err == nil {
				info, err = e.Info()
			}
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue // removed while we were listing
				}
				w.keep(childRel, unwrapPath(err).Error(), false)
				continue
			}
		}
		if info.IsDir() {
			if hidden {
				continue
			}
			if e.Type()&fs.ModeSymlink != 0 {
				if _, ok := idOf(info); !ok {
					w.skip(childRel, "symlink to a directory, not followed on this system")
					continue
				}
			}
			if err := w.dir(childAbs, childRel, info, ancestors); err != nil {
				return err
			}
			continue
		}
		if hidden {
			w.skip(childRel, "hidden file")
			continue
		}
		w.file(childAbs, childRel, info, pre[i].access)
	}
	return nil
}

// prestat is what statAll learnt of one directory entry: its FileInfo or
// the error getting it, and for a file whether it can be read (nil when
// not asked).
type prestat struct {
	info   fs.FileInfo
	err    error
	access *error
}

// statAll gets the FileInfo of the entries of the directory abs that are
// neither symlinks nor directories, and asks whether the regular files can
// be read, spreading the system calls over GOMAXPROCS goroutines: on a
// re-ingest of an unchanged corpus they are most of the work. A small
// directory is left to the walk (zero prestats).
func statAll(abs string, entries []os.DirEntry) []prestat {
	pre := make([]prestat, len(entries))
	const block = 256
	if len(entries) < 2*block {
		return pre
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for lo := 0; lo < len(entries); lo += block {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			for i := lo; i < min(lo+block, len(entries)); i++ {
				e := entries[i]
				if e.Type()&(fs.ModeSymlink|fs.ModeDir) != 0 {
					continue
				}
				pre[i].info, pre[i].err = e.Info()
				if pre[i].err == nil && pre[i].info.Mode().IsRegular() {
					if _, ok := formats[strings.ToLower(path.Ext(e.Name()))]; ok {
						err := readable(filepath.Join(abs, e.Name()))
						pre[i].access = &err
					}
				}
			}
		})
	}
	wg.Wait()
	return pre
}

// file records the non-directory abs as a File or a Skip; access, when
// set, is whether it can be read, asked already (see statAll).
func (w *walker) file(abs, rel string, fi fs.FileInfo, access *error) {
	if !fi.Mode().IsRegular() {
		w.skip(rel, "not a regular file ("+modeName(fi.Mode())+")")
		return
	}
	if !utf8.ValidString(rel) {
		w.skip(strings.ToValidUTF8(rel, "\uFFFD"), "file name is not valid UTF-8")
		return
	}
	ext := strings.ToLower(path.Ext(rel))
	format, ok := formats[ext]
	if !ok {
		if ext == "" {
			w.skip(rel, "no file extension")
		} else {
			w.skip(rel, "unsupported extension "+ext)
		}
		return
	}
	if fi.Size() > w.limit {
		w.keep(rel, tooBig(fi.Size(), w.limit), false)
		return
	}
	var err error
	if access != nil {
		err = *access
	} else {
		err = readable(abs)
	}
	if err != nil {
		w.keep(rel, "unreadable file: "+unwrapPath(err).Error(), false)
		return
	}
	w.files = append(w.files, File{
		Root:    w.root,
		Rel:     rel,
		Abs:     abs,
		Size:    fi.Size(),
		ModTime: fi.ModTime(),
		Format:  format,
	})
}

// symlinkProblem says why the symlink at abs could not be followed.
func symlinkProblem(abs string, err error) string {
	target, _ := os.Readlink(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("dangling symlink: target %s does not exist", target)
	case errors.Is(err, syscall.ELOOP):
		return fmt.Sprintf("symlink loop: %s cannot be resolved", target)
	default:
		return "symlink cannot be followed: " + unwrapPath(err).Error()
	}
}

// isAncestor reports whether rel is one of ancestors.
func isAncestor(rel string, ancestors []string) bool {
	for _, a := range ancestors {
		if a == rel {
			return true
		}
	}
	return false
}

// displayDir names a directory Rel for a message; the root is ".".
func displayDir(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}

// modeName describes a non-regular file type.
func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeIrregular != 0:
		return "irregular file"
	default:
		return m.Type().String()
	}
}

// tooBig is the reason given for a file over the size limit, in the units of
// the --max-file-size flag.
func tooBig(size, limit int64) string {
	return fmt.Sprintf("file is %s, over --max-file-size %s", humanSize(size), humanSize(limit))
}

// humanSize formats n bytes as B, KB or MB with at most one decimal.
func humanSize(n int64) string {
	unit, div := "B", int64(1)
	switch {
	case n >= 1<<30:
		unit, div = "GB", 1<<30
	case n >= 1<<20:
		unit, div = "MB", 1<<20
	case n >= 1<<10:
		unit, div = "KB", 1<<10
	}
	if div == 1 {
		return fmt.Sprintf("%d B", n)
	}
	s := fmt.Sprintf("%.1f", float64(n)/float64(div))
	s = strings.TrimSuffix(s, ".0")
	return s + " " + unit
}
