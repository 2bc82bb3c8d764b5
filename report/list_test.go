package report

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteList(t *testing.T) {
	type item struct {
		Name string `json:"name"`
		Note string `json:"note,omitempty"`
	}
	items := []item{{"a, b", `say "hi"`}, {"c\nd", ""}}
	row := func(i item) []string { return []string{i.Name, i.Note} }
	var csv, jsonl strings.Builder
	if err := WriteList(&csv, "csv", []string{"name", "note"}, row, items); err != nil {
		t.Fatal(err)
	}
	if err := WriteList(&jsonl, "jsonl", nil, nil, items); err != nil {
		t.Fatal(err)
	}
	wantCSV := "name,note\n\"a, b\",\"say \"\"hi\"\"\"\n\"c\nd\",\n"
	if diff := cmp.Diff(wantCSV, csv.String()); diff != "" {
		t.Errorf("csv (-want +got):\n%s", diff)
	}
	wantJSONL := "{\"name\":\"a, b\",\"note\":\"say \\\"hi\\\"\"}\n{\"name\":\"c\\nd\"}\n"
	if diff := cmp.Diff(wantJSONL, jsonl.String()); diff != "" {
		t.Errorf("jsonl (-want +got):\n%s", diff)
	}
	if err := WriteList(&csv, "xml", nil, row, items); err == nil {
		t.Error("WriteList(xml) gave no error")
	}
}
