package web

import (
	"net/http"
	"strconv"

	"github.com/trawlnews/trawl/reconcile"
	"github.com/trawlnews/trawl/store"
)

// Decision is one user decision as /api/decisions lists it: its number
// (what trawl entities undo N takes) and the decision.
type Decision struct {
	N int `json:"n"`
	reconcile.Decision
	// Undo is the command that removes it: the server is read-only, so
	// decisions are made and undone with the CLI.
	Undo string `json:"undo"`
}

// decisionsOf numbers the decisions of the store, in the order they were
// made.
func decisionsOf(st *store.Store) ([]Decision, error) {
	d, err := st.Decisions()
	if err != nil {
		return nil, err
	}
	list := []Decision{}
	for i, x := range d.List() {
		list = append(list, Decision{N: i + 1, Decision: x, Undo: undoCommand(i + 1)})
	}
	return list, nil
}

// undoCommand is the CLI command that removes decision n.
func undoCommand(n int) string {
	return "trawl entities undo " + strconv.Itoa(n)
}

func (s *server) apiDecisions(*http.Request) (any, error) {
	return withStore(s, decisionsOf)
}

// decisionsView is the data of the decisions page.
type decisionsView struct {
	Decisions []Decision
}

func (s *server) decisionsPage(*http.Request) (string, view, error) {
	list, err := withStore(s, decisionsOf)
	if err != nil {
		return "", view{}, err
	}
	return "decisions", view{Title: "Decisions", Nav: "decisions", Page: decisionsView{Decisions: list}}, nil
}
