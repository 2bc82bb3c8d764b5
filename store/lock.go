package store

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// waitingFile is the file a writer writes while it waits for the readers
// of a store to close it; a reader that finds it does not open the store,
// so that a steady stream of readers cannot keep a writer out.
const waitingFile = "writer-waiting"

// writerWait bounds how long a writer waits for the readers that hold a
// store; a reader holds it for one request or command.
const writerWait = 10 * time.Second

// whoAmI describes this process for the lock and waiting files: its pid
// and command line.
func whoAmI() string {
	return strconv.Itoa(os.Getpid()) + "\n" + strings.Join(os.Args, " ") + "\n"
}

// readWho describes the process recorded in the lock or waiting file at
// path ("trawl process 123 (trawl ingest news)"), or "" when there is none.
func readWho(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	pid, cmd, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	if pid == "" {
		return ""
	}
	who := "trawl process " + pid
	if cmd = strings.Join(strings.Fields(cmd), " "); cmd != "" {
		if len(cmd) > 200 {
			cmd = cmd[:200] + "..."
		}
		who += " (" + strings.ToValidUTF8(cmd, "?") + ")"
	}
	return who
}

// writerWaiting reports whether a writer is waiting for the readers of the
// store in dir to close it, and who. A waiting file older than twice
// writerWait was left by a writer that died and is ignored.
func writerWaiting(dir string) (string, bool) {
	path := filepath.Join(dir, waitingFile)
	fi, err := os.Stat(path)
	if err != nil || time.Since(fi.ModTime()) > 2*writerWait {
		return "", false
	}
	who := readWho(path)
	if who == "" {
		who = "a trawl process"
	}
	return who, true
}

// writerHolds reports whether a writer, not readers, holds the database at
// path: a reader's shared lock is refused only while a writer has it.
func writerHolds(dir, path string) bool {
	db, err := openBolt(dir, path, &bolt.Options{ReadOnly: true, Timeout: 50 * time.Millisecond})
	if err != nil {
		return errors.Is(err, berrors.ErrTimeout)
	}
	db.Close()
	return false
}

// waitForReaders opens the database at path for writing once the readers
// that hold it have closed it, keeping new readers out meanwhile with the
// waiting file; it gives up after writerWait.
func waitForReaders(dir, path string) (*bolt.DB, error) {
	waiting := filepath.Join(dir, waitingFile)
	if err := os.WriteFile(waiting, []byte(whoAmI()), 0o644); err != nil {
		return nil, err
	}
	defer os.Remove(waiting)
	return openBolt(dir, path, &bolt.Options{Timeout: writerWait})
}
