#!/usr/bin/env bash
# bench-e2e.sh measures the end-to-end cost of distributed ingest (make
# bench-cluster, docs/cluster.md): ROUNDS times, alternating, a single-process
# `trawl ingest CORPUS` into a new store, then `trawl ingest --nats` into a new
# store with `trawlnats` (one embedded JetStream server, no workers of its
# own) and two `trawl worker` processes on the same machine. It prints the
# wall time and CPU seconds (user+sys) of every process of each run, checks
# that the two stores give the same entities and discrepancies, and the ratio
# of the median wall times and of the median CPU-seconds.
#
# Usage: cluster/bench-e2e.sh TRAWL TRAWLNATS CORPUS [ROUNDS]
set -euo pipefail
trawl=$(realpath "$1"); trawlnats=$(realpath "$2"); corpus=$3; rounds=${4:-3}
tmp=$(mktemp -d -t trawl-bench-cluster.XXXXXX)
pids=()
cleanup() {
	# GNU time ignores SIGINT while it waits: stop the process it runs.
	for p in "${pids[@]}"; do pkill -INT -P "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# cpu FILE prints "wall cpu rss" from a /usr/bin/time -f '%e %U %S %M' file.
cpu() { awk '{printf "%.2f %.2f %d\n", $1, $2 + $3, $4}' "$1"; }
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
T=(/usr/bin/time -f '%e %U %S %M')

echo "corpus $corpus, $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-5s %8s %8s %8s %8s %8s %8s\n' run round wall coordCPU worker1 worker2 server totalCPU
for round in $(seq "$rounds"); do
	# single process
	"${T[@]}" -o "$tmp/single.time" "$trawl" --store "$tmp/single" ingest --quiet "$corpus" >/dev/null
	read -r sw sc _ < <(cpu "$tmp/single.time")
	printf '%-8s %-5s %8s %8s %8s %8s %8s %8s\n' single "$round" "$sw" "$sc" - - - "$sc"
	echo "$sw" >>"$tmp/single.wall"; echo "$sc" >>"$tmp/single.cpu"

	# coordinator, two workers and the server
	pids=()
	"${T[@]}" -o "$tmp/server.time" "$trawlnats" -dir "$tmp/nats" -url-file "$tmp/url" >/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.1; done
	url=$(cat "$tmp/url")
	for w in 1 2; do
		"${T[@]}" -o "$tmp/worker$w.time" "$trawl" worker --quiet --nats "$url" 2>"$tmp/worker$w.log" &
		pids+=($!)
	done
	sleep 2 # the workers connect and load their models before the clock starts
	"${T[@]}" -o "$tmp/coord.time" "$trawl" --store "$tmp/cluster" ingest --quiet --nats "$url" "$corpus" >"$tmp/coord.out"
	for p in "${pids[@]:1}"; do pkill -INT -P "$p"; wait "$p" || true; done
	pkill -INT -P "${pids[0]}"; wait "${pids[0]}" || true
	pids=()
	read -r cw cc _ < <(cpu "$tmp/coord.time")
	read -r _ w1 _ < <(cpu "$tmp/worker1.time")
	read -r _ w2 _ < <(cpu "$tmp/worker2.time")
	read -r _ sv _ < <(cpu "$tmp/server.time")
	total=$(echo "$cc $w1 $w2 $sv" | awk '{print $1 + $2 + $3 + $4}')
	printf '%-8s %-5s %8s %8s %8s %8s %8s %8s\n' cluster "$round" "$cw" "$cc" "$w1" "$w2" "$sv" "$total"
	echo "$cw" >>"$tmp/cluster.wall"; echo "$cc" >>"$tmp/coord.cpu"; echo "$total" >>"$tmp/cluster.cpu"

	for cmd in "entities --json" "discrepancies --format json"; do
		a=$("$trawl" --store "$tmp/single" $cmd | sha256sum); b=$("$trawl" --store "$tmp/cluster" $cmd | sha256sum)
		if [ "$a" != "$b" ]; then echo "round $round: trawl $cmd differs between the single-process and the cluster store" >&2; exit 1; fi
	done
	rm -rf "$tmp/single" "$tmp/cluster" "$tmp/nats" "$tmp/url"
done
sw=$(median <"$tmp/single.wall"); sc=$(median <"$tmp/single.cpu")
cw=$(median <"$tmp/cluster.wall"); cc=$(median <"$tmp/coord.cpu"); tc=$(median <"$tmp/cluster.cpu")
echo "medians: single ${sw} s wall, ${sc} CPU-s; cluster ${cw} s wall, coordinator ${cc} CPU-s, all processes ${tc} CPU-s"
awk -v sw="$sw" -v cw="$cw" -v sc="$sc" -v cc="$cc" -v tc="$tc" 'BEGIN {
	printf "cluster/single: wall %.2fx; coordinator CPU %.2fx, all CPU %.2fx of the single process (entities and discrepancies identical)\n", cw / sw, cc / sc, tc / sc }'
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
