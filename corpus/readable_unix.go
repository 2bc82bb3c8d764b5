//go:build unix

package corpus

import (
	"os"
	"syscall"
)

// readable reports why the file at abs cannot be opened for reading, or
// nil. It asks access(2), one system call, rather than opening and closing
// the file (three with Go's os.Open): Walk asks it of every file, and on an
// unchanged corpus that is most of what a re-ingest does.
func readable(abs string) error {
	if err := syscall.Access(abs, 4 /* R_OK */); err != nil {
		return &os.PathError{Op: "access", Path: abs, Err: err}
	}
	return nil
}
