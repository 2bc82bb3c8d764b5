package main

import (
	"fmt"
	"io"
	"slices"
)

// safeWriter writes everything the CLI prints, so that control characters
// in an article (a title, an id, a source, a file name, a snippet, a
// warning naming a file) never reach the terminal raw: ESC, CSI and their
// kin could clear the screen, set the window title or write the clipboard.
// Every C0 control character but tab and newline, DEL and every C1 control
// character is written as \u00XX, which is also how JSON writes it, so JSON
// output stays valid and decodes to the same text.
type safeWriter struct {
	w io.Writer
	// pending is a trailing 0xC2 byte held until the next write shows
	// whether it starts a C1 character.
	pending []byte
}

// newSafeWriter wraps w; Flush writes a byte held at the end.
func newSafeWriter(w io.Writer) *safeWriter { return &safeWriter{w: w} }

// Write escapes p's control characters and writes the result.
func (s *safeWriter) Write(p []byte) (int, error) {
	buf := append(s.pending, p...)
	s.pending = nil
	if n := len(buf); n > 0 && buf[n-1] == 0xC2 {
		s.pending = []byte{0xC2}
		buf = buf[:n-1]
	}
	if _, err := s.w.Write(escapeControls(buf)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a byte held by the last Write.
func (s *safeWriter) Flush() error {
	if len(s.pending) == 0 {
		return nil
	}
	_, err := s.w.Write(s.pending)
	s.pending = nil
	return err
}

// escapeControls returns b with its control characters (see safeWriter)
// written as \u00XX; b itself when it has none.
func escapeControls(b []byte) []byte {
	clean := !slices.ContainsFunc(b, func(c byte) bool { return c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == 0xC2 })
	if clean {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c < 0x20 && c != '\n' && c != '\t', c == 0x7f:
			out = fmt.Appendf(out, `\u%04x`, c)
		case c == 0xC2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9F:
			out = fmt.Appendf(out, `\u%04x`, b[i+1])
			i++
		default:
			out = append(out, c)
		}
	}
	return out
}
