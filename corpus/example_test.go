package corpus_test

import (
	"fmt"

	"github.com/trawlnews/trawl/corpus"
)

func ExampleParse() {
	raw := []byte("Title: Tariffs rise\r\nPublished: June 8, 2025\r\n\r\nLONDON (Reuters) - Steel tariffs rose to 50%.\r\n")
	art, err := corpus.Parse("stdin", raw, corpus.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s | %s (%s) | offset %d | %q\n", art.Title, art.Published, art.PublishedSource, art.BodyOffset, art.Text)

	_, err = corpus.Parse("notes.txt", []byte("Title: Draft\n\n"), corpus.Options{})
	fmt.Println(err)
	// Output:
	// Tariffs rise | 2025-06-08 (header) | offset 45 | "LONDON (Reuters) - Steel tariffs rose to 50%.\n"
	// corpus: notes.txt: header but no body
}
