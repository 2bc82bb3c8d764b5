# trawl: make demo runs the whole job on the bundled samples; make test runs the tests.
SHELL   := /bin/bash
GO      ?= go
SHARED  ?= ../shared
BIN     := bin/trawl
FUZZTIME ?= 30s
FUZZSHORT ?= 2000x

.PHONY: all build test vet demo demo-cluster bench-cluster bench bench-200 bench-pathological golden golden-bench eval fit-commodity cv-dates clusters train fuzz fuzz-short fuzz-run test-ui clean

all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/trawl

# vet runs go vet and staticcheck. staticcheck is pinned by the tool directive
# in go.mod (go get -tool honnef.co/go/tools/cmd/staticcheck@VERSION to move
# it), so every machine runs the same checks whether or not a staticcheck
# binary is installed.
vet:
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

# GORACE=atexit_sleep_ms=0: a race-enabled test binary otherwise sleeps one
# second at exit (the race runtime's default), once per package.
test: vet
	GORACE=atexit_sleep_ms=0 $(GO) test -race -count=1 -timeout 30m ./...
	@$(MAKE) --no-print-directory golden-bench
	@$(MAKE) --no-print-directory fuzz-short

# golden-bench runs the CLI on $(SHARED)/bench/corpus and compares the digests
# of its outputs with cmd/trawl/testdata/golden/bench.sha256 (without -race:
# about 20 s). It skips, saying so, when the corpus is missing. After a change
# of output that is right: make golden-bench GOLDEN_FLAGS=-update.
GOLDEN_FLAGS ?=
golden-bench:
	@if [ ! -d $(SHARED)/bench/corpus ]; then echo "$(SHARED)/bench/corpus not found: golden-bench skipped"; exit 0; fi; \
	set -x; TRAWL_GOLDEN_BENCH=1 TRAWL_BENCH_CORPUS=$(abspath $(SHARED))/bench/corpus \
	  $(GO) test -count=1 -run '^TestGoldenBench$$' ./cmd/trawl $(GOLDEN_FLAGS)

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

# bench-cluster measures distributed ingest end to end on $(SHARED)/bench/corpus:
# ROUNDS times, alternating, a single-process trawl ingest and trawl ingest --nats
# with bin/trawlnats (one server) and two trawl worker processes on this machine;
# prints wall and CPU-seconds of every process and the ratios (docs/cluster.md).
ROUNDS ?= 3
bench-cluster: build
	@$(GO) build -o bin/trawlnats ./cmd/trawlnats
	cluster/bench-e2e.sh $(BIN) bin/trawlnats $(SHARED)/bench/corpus $(ROUNDS)

# demo-cluster does the demo's ingest through NATS JetStream: cmd/trawlnats runs
# an embedded JetStream server and two trawl workers in one process, trawl ingest
# --nats is the coordinator; entities and discrepancies are those of make demo.
# Nothing to install (docs/cluster.md).
demo-cluster: build
	@$(GO) build -o bin/trawlnats ./cmd/trawlnats
	@tmp=$$(mktemp -d -t trawl-demo-cluster.XXXXXX); pid=; \
	trap 'if [ -n "$$pid" ]; then kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; fi; rm -rf "$$tmp"' EXIT; \
	set -e; \
	echo "== bin/trawlnats -workers 2: an embedded JetStream server and two workers"; \
	./bin/trawlnats -dir "$$tmp/nats" -workers 2 -url-file "$$tmp/url" & pid=$$!; \
	for i in $$(seq 300); do [ -s "$$tmp/url" ] && break; kill -0 $$pid; sleep 0.1; done; \
	url=$$(cat "$$tmp/url"); \
	echo; echo "== trawl ingest --nats $$url testdata/articles (store: $$tmp/store)"; \
	./$(BIN) --store "$$tmp/store" ingest --quiet --nats "$$url" testdata/articles; \
	echo; echo "== trawl entities"; \
	./$(BIN) --store "$$tmp/store" entities; \
	echo; echo "== trawl discrepancies"; \
	./$(BIN) --store "$$tmp/store" discrepancies; \
	echo; echo "== trawl ingest --nats again (nothing changed: nothing queued)"; \
	./$(BIN) --store "$$tmp/store" ingest --quiet --nats "$$url" testdata/articles

golden:
	$(GO) test ./... -update
	$(GO) test ./...

# eval scores extraction on every gold file of $(SHARED)/eval/dev and on the
# CoNLL-2003 training file (whose last 15% the name tagger never sees), each
# also in two parts (eval.Split), and writes docs/accuracy.md.
eval: build
	@if [ ! -d $(SHARED)/eval/dev ]; then echo "$(SHARED)/eval/dev not found: eval skipped"; exit 0; fi; \
	./$(BIN) eval --markdown docs/accuracy.md $(SHARED)/eval/dev/*.jsonl $(SHARED)/eval/train/conll2003-train.jsonl

# bench measures throughput on $(SHARED)/bench/corpus and prints one table (see
# docs/performance.md): extraction at 1 and N workers against a read-and-split
# floor, ingest MB/s and peak RSS at each of BENCH_SCALES (copies of the corpus,
# made with grow.sh in a temporary directory), re-ingest, search latencies.
# The table goes to stdout and the chart of ingest MB/s and peak RSS against
# corpus size to $(BENCH_CHART). bench-200 is the same at 200x (2 GB, 831,200
# files; about 2 GB of temporary disk and an hour), kept apart from bench.
BENCH_SCALES ?= 1,10,50
BENCH_FLAGS  ?=
BENCH_CHART  ?= docs/performance-scaling.svg
bench: build
	@if [ ! -d $(SHARED)/bench/corpus ]; then echo "$(SHARED)/bench/corpus not found: bench skipped"; exit 0; fi; \
	set -x; $(GO) run ./cmd/trawlbench -trawl $(BIN) -corpus $(SHARED)/bench/corpus -scales $(BENCH_SCALES) -chart $(BENCH_CHART) $(BENCH_FLAGS)

bench-200: build
	@if [ ! -d $(SHARED)/bench/corpus ]; then echo "$(SHARED)/bench/corpus not found: bench skipped"; exit 0; fi; \
	set -x; $(GO) run ./cmd/trawlbench -trawl $(BIN) -corpus $(SHARED)/bench/corpus -scales 1,10,50,200 -bigfile=false -chart $(BENCH_CHART) $(BENCH_FLAGS)

# bench-pathological runs the size-doubling benchmarks of the inputs that
# once made a stage super-linear (issue 17: many dates in one sentence, one
# 4 MB sentence, 4 MB of repeated figure lines, runs of capitalised words,
# months, digits, years and weekdays): MB/s should stay flat as sizes double.
# The tests TestPathologicalGrowth and TestFindDatesLinear check the same
# shapes on every make test by counting allocations, not time.
bench-pathological:
	$(GO) test -run '^$$' -bench 'Pathological' -benchtime 3x ./reconcile ./extract/dates

# fuzz runs every fuzz target of every package for $(FUZZTIME) each
# (make fuzz FUZZTIME=10m for a long run); fuzz-short runs each for
# $(FUZZSHORT) executions, a smoke run that CI can afford (see
# docs/reliability.md). fuzz-short counts executions rather than seconds: with
# a duration, Go 1.26's fuzz coordinator can fail a target with a bare
# "context deadline exceeded" at the deadline on a busy machine
# (go.dev/issue/75804, fixed in Go 1.27), and CI must not flake. make test already runs every seed input and every
# crasher saved under testdata/fuzz/ as an ordinary test. A crasher found here
# is written to PKG/testdata/fuzz/FuzzX/ and becomes a regression case: keep it.
fuzz:
	@$(MAKE) --no-print-directory fuzz-run FUZZFOR=$(FUZZTIME)

fuzz-short:
	@$(MAKE) --no-print-directory fuzz-run FUZZFOR=$(FUZZSHORT)

fuzz-run:
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
	  for fz in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$dir/*_test.go | sort); do \
	    echo "== $$dir $$fz ($(FUZZFOR))"; \
	    $(GO) test -run '^$$' -fuzz "^$$fz$$" -fuzztime $(FUZZFOR) $$dir; \
	  done; done

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

# fit-commodity fits the commodity centrality model (extract/commodity) on the
# first half of $(SHARED)/eval/dev/reuters-commodities.jsonl (threshold by
# 5-fold cross-validation on that half), rewrites
# extract/commodity/centrality.go and prints the label scores of both halves.
fit-commodity:
	$(GO) test -count=1 -run '^TestFitCentrality$$' -v ./extract/commodity -args -fit

# cv-dates cross-validates learned choices of DATE values and extents on
# TempEval-3's TimeBank part of $(SHARED)/eval/dev/tempeval3.jsonl (by
# document; the AQUAINT part is not read) against the rules' choices, and
# prints both (docs/accuracy.md, "Learned date choices"). Deterministic.
cv-dates:
	$(GO) test -count=1 -run '^TestValueChoiceCV$$' -v ./extract/dates -args -cv

# clusters learns the name tagger's word clusters (extract/tagger/clusters.txt.gz)
# from unlabelled text: the trained-on 85% of $(SHARED)/eval/train/conll2003-train.jsonl
# and $(SHARED)/bench/corpus; deterministic. Run make train after it.
clusters:
	$(GO) test -count=1 -run '^TestBuildClusters$$' -v ./extract/tagger -args -clusters

# train trains the name tagger (extract/tagger) from $(SHARED)/eval/train with a
# fixed seed, rewrites extract/tagger/ner.model and prints the per-type
# precision, recall and F1 on the held-out last 15% of the training file.
train:
	$(GO) test -count=1 -run '^TestTrain$$' -v ./extract/tagger -args -train -epochs=30 -models=3 -prune=0.8
