package store

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/trawlnews/trawl"
)

// TestReleaseMapped reads every page of a bbolt database through its map
// and checks that releaseMapped takes them out of the process's resident
// memory, and that what was read can still be read.
func TestReleaseMapped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trawl.db")
	db, val := filledDB(t, path, "articles")
	var err error
	read := func(tx *bolt.Tx) int {
		n := 0
		tx.Bucket([]byte("articles")).ForEach(func(_, v []byte) error {
			if bytes.Equal(v, val) {
				n++
			}
			return nil
		})
		return n
	}
	err = db.View(func(tx *bolt.Tx) error {
		if n := read(tx); n != 2000 {
			t.Fatalf("read %d values, want 2000", n)
		}
		before := residentKB(t, path)
		if before < 8<<10 {
			t.Fatalf("%d kB of the database resident after reading 24 MB of it: the test checks nothing", before)
		}
		releaseMapped(dir)
		if after := residentKB(t, path); after > before/10 {
			t.Errorf("%d kB of the database resident after releaseMapped, %d kB before", after, before)
		}
		if n := read(tx); n != 2000 {
			t.Errorf("after releaseMapped read %d values, want 2000", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// residentKB sums the Rss of the process's maps of file path, from
// /proc/self/smaps.
func residentKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in, kb := false, 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-"): // the header line of a map
			in = len(fields) >= 6 && fields[5] == path
		case in && len(fields) >= 2 && fields[0] == "Rss:":
			n, _ := strconv.Atoi(fields[1])
			kb += n
		}
	}
	return kb
}

// TestReleasingMapped reads every page of a mapped database while
// releasingMapped runs, as a compaction reads its segments without telling
// anyone, and checks that the pages leave the resident set without another
// call, and that what was read can still be read after stop.
func TestReleasingMapped(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "segment.db")
	db, val := filledDB(t, path, "segment")
	err := db.View(func(tx *bolt.Tx) error {
		stop := releasingMapped(dir, 10*time.Millisecond, 0)
		defer stop()
		read := 0
		tx.Bucket([]byte("segment")).ForEach(func(_, v []byte) error {
			read += len(v)
			return nil
		})
		// The releases run on their own clock: wait for one (a second
		// is a hundred of them) rather than time anything.
		kb := residentKB(t, path)
		for i := 0; i < 100 && kb > read>>10/10; i++ {
			time.Sleep(10 * time.Millisecond)
			kb = residentKB(t, path)
		}
		if kb > read>>10/10 {
			t.Errorf("%d kB of the database resident a second after reading %d kB of it while releasingMapped ran", kb, read>>10)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx *bolt.Tx) error {
		n := 0
		tx.Bucket([]byte("segment")).ForEach(func(_, v []byte) error {
			if bytes.Equal(v, val) {
				n++
			}
			return nil
		})
		if n != 2000 {
			t.Errorf("after stop read %d values, want 2000", n)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestReleasingMappedAbove reads every page of a mapped database while
// releasingMapped runs with a threshold: above the process's resident
// mapped files plus the database, the pages stay resident (the writes of
// the index read them again); below it, they are released.
func TestReleasingMappedAbove(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "segment.db")
	db, _ := filledDB(t, path, "segment")
	readAll := func() int {
		read := 0
		db.View(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("segment")).ForEach(func(_, v []byte) error {
				read += len(v)
				return nil
			})
		})
		return read
	}
	releaseMapped(dir)
	base, ok := residentFile()
	if !ok {
		t.Skip("no RssFile in /proc/self/status")
	}
	// Far above: 50 ticks pass and the pages stay.
	stop := releasingMapped(dir, 10*time.Millisecond, base+1<<30)
	read := readAll()
	time.Sleep(500 * time.Millisecond)
	if kb := residentKB(t, path); kb < read>>10/2 {
		t.Errorf("%d kB of the database resident after reading %d kB of it, with releases only above 1 GB more", kb, read>>10)
	}
	stop()
	// Below what the read adds: released on the clock.
	stop = releasingMapped(dir, 10*time.Millisecond, base+int64(read)/4)
	defer stop()
	read = readAll()
	kb := residentKB(t, path)
	for i := 0; i < 100 && kb > read>>10/4; i++ {
		time.Sleep(10 * time.Millisecond)
		kb = residentKB(t, path)
	}
	if kb > read>>10/4 {
		t.Errorf("%d kB of the database resident a second after reading %d kB of it, with releases above a quarter of that", kb, read>>10)
	}
}

// filledDB writes a bbolt database at path with 2,000 values of 12 kB (24 MB)
// in bucket and returns it open, with the value; it is closed when the test
// ends.
func filledDB(t *testing.T, path, bucket string) (*bolt.DB, []byte) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	val := bytes.Repeat([]byte("trawl "), 2000)
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte(bucket))
		if err != nil {
			return err
		}
		for i := range 2000 {
			if err := b.Put(fmt.Appendf(nil, "%05d", i), val); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, val
}

// TestFileRecordsReleaseMapped reads the records of every file of a store
// a chunk at a time, as a re-ingest of an unchanged corpus does, and checks
// that the pages they and their articles' owners were read from do not stay
// resident: they are released as a pass of Refresh releases its own. The
// records read are those committed, none stale.
func TestFileRecordsReleaseMapped(t *testing.T) {
	defer func(n int) { releaseEvery = n }(releaseEvery)
	releaseEvery = 1 << 20
	dir := t.TempDir()
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// 12,000 files of one 2 kB article each, their ids in another order
	// than their files' keys, as content hashes are, committed in chunks
	// of 16 as an ingest does at first: each chunk's file records and
	// owners are written beside its articles.
	const files, chunk = 12000, 16
	text := strings.Repeat("Oil prices rose. ", 120)
	var keys []string
	for lo := 0; lo < files; lo += chunk {
		var ws []FileWrite
		for i := lo; i < lo+chunk; i++ {
			key := FileKey("/root", fmt.Sprintf("f%05d.txt", i))
			keys = append(keys, key)
			id := fmt.Sprintf("%08x", uint32(i)*2654435761)
			ws = append(ws, FileWrite{Key: key, Hash: id, Size: int64(len(text)), Read: time.Now(),
				Articles: []trawl.Article{{ID: id, Text: text}}})
		}
		if _, err := s.Commit(ws); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, dbFile)
	releaseMapped(dir)
	for lo := 0; lo < files; lo += 256 {
		recs, err := s.FileRecords(keys[lo:min(lo+256, files)])
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range recs {
			if r == nil || r.Stale || len(r.IDs) != 1 {
				t.Fatalf("record of %s: %+v, want one article and not stale", keys[lo+i], r)
			}
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Two releases' worth, with the kernel's fault-around: far less than the
	// database, which the reads would otherwise leave mapped in good part.
	if kb := residentKB(t, path); kb > 4<<10 {
		t.Errorf("%d kB of the database (%d kB) resident after reading every file record, releases every %d kB", kb, fi.Size()>>10, releaseEvery>>10)
	}
}

// TestMappedReadsAbove counts reads of a database through mappedReads, as
// a pass of Refresh does, with and without a ceiling on the resident
// mapped files (mappedReads.above): under the ceiling the pages read stay
// resident, so that a pass that reads them again does not fault them in
// again (copyGroups); without one they are released every releaseEvery.
func TestMappedReadsAbove(t *testing.T) {
	every := releaseEvery
	releaseEvery = 1 << 20
	t.Cleanup(func() { releaseEvery = every })
	dir := t.TempDir()
	path := filepath.Join(dir, "trawl.db")
	db, _ := filledDB(t, path, "signatures")
	releaseMapped(dir)
	base, ok := residentFile()
	if !ok {
		t.Skip("no RssFile in /proc/self/status")
	}
	readAll := func(m *mappedReads) int {
		read := 0
		db.View(func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("signatures")).ForEach(func(k, v []byte) error {
				m.read(len(k) + len(v))
				read += len(v)
				return nil
			})
		})
		return read
	}
	read := readAll(&mappedReads{dir: dir, above: base + 1<<30})
	if kb := residentKB(t, path); kb < read>>10/2 {
		t.Errorf("%d kB of the database resident after reading %d kB of it under a ceiling 1 GB above", kb, read>>10)
	}
	releaseMapped(dir)
	read = readAll(&mappedReads{dir: dir})
	if kb := residentKB(t, path); kb > 2*releaseEvery>>10 {
		t.Errorf("%d kB of the database resident after reading %d kB of it with a release every %d kB", kb, read>>10, releaseEvery>>10)
	}
}
