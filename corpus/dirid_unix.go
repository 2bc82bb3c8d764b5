//go:build unix

package corpus

import (
	"io/fs"
	"syscall"
)

// dirID identifies a directory on disk, so a directory reached twice through
// symlinks is walked once.
type dirID struct{ dev, ino uint64 }

// idOf returns the identity of the file fi describes.
func idOf(fi fs.FileInfo) (dirID, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return dirID{}, false
	}
	return dirID{dev: uint64(st.Dev), ino: uint64(st.Ino)}, true
}
