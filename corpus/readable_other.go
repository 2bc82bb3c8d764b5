//go:build !unix

package corpus

import "os"

// readable reports why the file at abs cannot be opened for reading, or
// nil, by opening it.
func readable(abs string) error {
	f, err := os.Open(abs)
	if err != nil {
		return err
	}
	return f.Close()
}
