//go:build !unix

package corpus

import "io/fs"

// dirID identifies a directory on disk. Without device and inode numbers
// there is none, so Walk does not follow symlinks to directories.
type dirID struct{}

// idOf reports that no identity is available on this system.
func idOf(fs.FileInfo) (dirID, bool) { return dirID{}, false }
