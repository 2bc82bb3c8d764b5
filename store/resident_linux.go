package store

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// releaseMapped drops from the process's resident set the pages of the
// files under dir that it maps read-only and shared: bbolt's database and
// the index's segments. Reading every stored article through bbolt's map
// makes each page of trawl.db resident, and those pages count in the
// process's memory until the kernel needs them, though they are only a copy
// of the page cache; a refresh that reads a 1 GB database would hold 1 GB
// for nothing. The next read of a dropped page maps it again, so this
// changes what a reader sees in nothing but time. It is advice: every
// failure is ignored.
//
// The advice depends on who maps the file. The index's segments are mapped
// and unmapped by bleve's own goroutines (a merge closes the segments it
// merged), so between reading a line of /proc/self/maps and the madvise
// call that range may have been unmapped and the same addresses mapped again
// as anonymous memory by the runtime: MADV_DONTNEED would zero that memory.
// Their pages get MADV_PAGEOUT (Linux 5.4), which only asks the kernel to
// reclaim them and loses no data whatever the range holds by then; it also
// drops them from the page cache, so the next read goes to the disk (on an
// older kernel the call fails and they stay). bbolt's database is mapped
// again only by a write transaction, which waits for every read transaction
// to end, and the store never writes while it releases: its range is stable
// and gets MADV_DONTNEED, which keeps the page cache (an unchanged
// re-ingest reads the database again at once).
func releaseMapped(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	prefix := abs + string(filepath.Separator)
	db := filepath.Join(abs, dbFile)
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// 7f2c...-7f2d... r--s 00000000 fd:01 1234   /path/to/file
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || fields[1] != "r--s" || !strings.HasPrefix(fields[5], prefix) {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		advice := uintptr(madvPageout)
		if fields[5] == db {
			advice = syscall.MADV_DONTNEED
		}
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), advice)
	}
}

// madvPageout is MADV_PAGEOUT of <linux/mman.h> (Linux 5.4), which package
// syscall does not name.
const madvPageout = 21

// residentFile returns the process's resident pages of mapped files
// (RssFile of /proc/self/status) in bytes; ok is false when it cannot be
// read.
func residentFile() (n int64, ok bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, found := strings.CutPrefix(line, "RssFile:"); found {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err == nil
		}
	}
	return 0, false
}
