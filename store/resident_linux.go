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
// The advice is MADV_PAGEOUT, not MADV_DONTNEED: the ranges come from
// /proc/self/maps, and between reading a line and the madvise call another
// goroutine may unmap that file (bleve closes merged segments) and the
// runtime may map anonymous memory at the same address. MADV_DONTNEED would
// zero that memory; MADV_PAGEOUT only asks the kernel to reclaim the pages,
// which for anonymous memory means swapping them out (or nothing, without
// swap), so a stale range loses no data. The price: the pages leave the
// page cache too, and the next read of one goes to the disk. On a kernel
// older than 5.4, which has no MADV_PAGEOUT, the call fails and nothing is
// released.
func releaseMapped(dir string) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	prefix := abs + string(filepath.Separator)
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
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), madvPageout)
	}
}

// madvPageout is MADV_PAGEOUT of <linux/mman.h> (Linux 5.4), which package
// syscall does not name.
const madvPageout = 21
