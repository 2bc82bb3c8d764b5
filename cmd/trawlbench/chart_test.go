package main

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestChartDrawsEveryScale checks that the scaling chart is well-formed SVG
// with one point per corpus size in each panel, labelled with its value, so
// that docs/performance.md shows what the run measured.
func TestChartDrawsEveryScale(t *testing.T) {
	pts := []scalePoint{
		{scale: 50, mbytes: 500, rate: 2.5, rssMB: 900},
		{scale: 1, mbytes: 10, rate: 1.8, rssMB: 320},
		{scale: 10, mbytes: 100, rate: 2.2, rssMB: 800},
	}
	var b bytes.Buffer
	if err := writeChart(&b, "ingest <test>", pts); err != nil {
		t.Fatal(err)
	}
	var titles []string
	dec := xml.NewDecoder(&b)
	inTitle := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			inTitle = tok.Name.Local == "title"
		case xml.CharData:
			if inTitle {
				titles = append(titles, strings.TrimSpace(string(tok)))
			}
		case xml.EndElement:
			inTitle = false
		}
	}
	want := []string{
		"1x (10 MB): 1.8 MB/s", "10x (100 MB): 2.2 MB/s", "50x (500 MB): 2.5 MB/s",
		"1x (10 MB): 320 MB", "10x (100 MB): 800 MB", "50x (500 MB): 900 MB",
	}
	if diff := cmp.Diff(want, titles); diff != "" {
		t.Errorf("chart points (-want +got):\n%s", diff)
	}
}

// TestNiceCeil checks the axis maxima: the next 1, 2 or 5 times a power of ten.
func TestNiceCeil(t *testing.T) {
	for v, want := range map[float64]float64{0: 1, 0.7: 1, 2.2: 5, 850: 1000, 1500: 2000, 10: 10} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}
