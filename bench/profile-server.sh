#!/bin/bash
# Profiles one bench target under h2load GetTeam load (README.md, "Server hot path"):
# starts bench/src/targets/TARGET of the checkout ROOT with `node --cpu-prof`, warms it up
# for 3 s, loads it for SECONDS at CONCURRENCY as the unary scenario does (one h2load
# thread, one stream per connection), stops it and leaves the profile in OUTDIR. Prints
# h2load's summary and the server's CPU time per 1,000 calls.
# Usage: bench/profile-server.sh ROOT OUTDIR CONCURRENCY SECONDS [TARGET] [NAME=VALUE...]
#   TARGET: our-server.ts (default) or grpc-js-floor.ts; NAME=VALUE: environment, e.g.
#   DATABASE_URL=postgres://... for our server on PostgreSQL.
set -euo pipefail
root=$(cd "$1" && pwd); outdir=$2; concurrency=$3; seconds=$4; target=${5:-our-server.ts}
shift $(($# < 5 ? $# : 5))
rm -rf "$outdir"; mkdir -p "$outdir"; outdir=$(cd "$outdir" && pwd)
# GetTeam {city: "Chicago"} in a gRPC frame: flag 0, length 9, field 1 (tag 0x0a), 7 bytes.
printf '\x00\x00\x00\x00\x09\x0a\x07Chicago' >"$outdir/body.bin"
cd "$root/bench"
env "$@" node --cpu-prof --cpu-prof-dir="$outdir" --import tsx "src/targets/$target" >"$outdir/target.log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q '"listening"' "$outdir/target.log" && break; sleep 0.1; done
port=$(grep -o '"port":[0-9]*' "$outdir/target.log" | head -1 | cut -d: -f2)
load() {
  h2load -t 1 -c "$concurrency" -m 1 -D "$1" -d "$outdir/body.bin" \
    -H 'content-type: application/grpc' -H 'te: trailers' "http://127.0.0.1:$port/Teams/GetTeam"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
load 3s >/dev/null
before=$(cpu_ticks)
summary=$(load "${seconds}s")
after=$(cpu_ticks)
kill -TERM "$pid"; wait "$pid" || true
echo "$summary" | grep -E 'finished in|requests:'
ok=$(echo "$summary" | grep -o '[0-9]* succeeded' | cut -d' ' -f1)
echo "server CPU ms per 1,000 calls: $(( (after - before) * 10 * 1000 / ok ))"
