# trawl: make demo runs the whole job on the bundled samples; make test runs the tests.
SHELL   := /bin/bash
GO      ?= go
SHARED  ?= ../shared
BIN     := bin/trawl
FUZZTIME ?= 30s

.PHONY: all build test vet demo bench golden eval fuzz test-ui clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/trawl

vet:
	$(GO) vet ./...
	@if command -v staticcheck >/dev/null 2>&1; then staticcheck ./...; else echo "staticcheck not installed; skipped"; fi

test: vet
	$(GO) test -race -count=1 ./...

# demo ingests testdata/articles into a temporary store and shows what trawl found.
demo: build
	@store=$$(mktemp -d -t trawl-demo.XXXXXX); trap 'rm -rf "$$store"' EXIT; \
	set -e; \
	echo "== trawl ingest testdata/articles (store: $$store)"; \
	./$(BIN) --store "$$store" ingest --quiet testdata/articles; \
	echo; echo "== trawl entities"; \
	./$(BIN) --store "$$store" entities; \
	echo; echo "== trawl discrepancies"; \
	./$(BIN) --store "$$store" discrepancies; \
	echo; echo "== trawl search Bessent"; \
	./$(BIN) --store "$$store" search Bessent; \
	echo; echo "== trawl ingest again (nothing changed)"; \
	./$(BIN) --store "$$store" ingest --quiet testdata/articles

golden:
	$(GO) test ./... -update
	$(GO) test ./...

# eval scores extraction on every gold file of $(SHARED)/eval/dev and writes docs/accuracy.md.
eval: build
	@if [ ! -d $(SHARED)/eval/dev ]; then echo "$(SHARED)/eval/dev not found: eval skipped"; exit 0; fi; \
	./$(BIN) eval --markdown docs/accuracy.md $(SHARED)/eval/dev/*.jsonl

bench: build
	@if [ ! -d $(SHARED)/bench/corpus ]; then echo "$(SHARED)/bench/corpus not found: bench skipped"; exit 0; fi
	$(GO) test -run '^$$' -bench . -benchmem ./extract/ ./corpus/ ./reconcile/ ./index/

fuzz:
	@for t in $$($(GO) test -list '^Fuzz' ./... | grep -E '^(Fuzz|ok)' | awk '/^Fuzz/{f=f" "$$1} /^ok/{print $$2":"f; f=""}'); do \
	  pkg=$${t%%:*}; for fz in $${t#*:}; do echo "== $$pkg $$fz"; $(GO) test -run '^$$' -fuzz "^$$fz$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; done; done

clean:
	rm -rf bin

# test-ui runs the browser test of the web UI in headless Chromium, installing
# chromium first when it is missing (apt-get; sudo only when not root).
test-ui:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "== installing chromium"; \
	  sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  $$sudo apt-get install -y chromium || { $$sudo apt-get update && $$sudo apt-get install -y chromium; } || exit 1; \
	fi
	$(GO) test -count=1 -run Browser -v ./web/
