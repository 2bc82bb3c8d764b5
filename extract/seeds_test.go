package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedsText is the three seed articles of ../shared/seeds concatenated, for
// benchmarks; it skips when they are not beside the repository.
func seedsText(tb testing.TB) string {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "*.txt"))
	if len(files) == 0 {
		tb.Skip("seed articles not available (needs ../shared/seeds next to the repository)")
	}
	var sb strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		sb.Write(data)
		sb.WriteString("\n\n")
	}
	return sb.String()
}
