#!/bin/sh
# Runs the same compiled module on the same messages under Node.js and
# under the wasm engine, one after the other, and prints both: time per
# message (wall) and CPU time per message (every thread; the steadier
# figure on a machine shared with other work). See docs/wasm.md.
#
# Needs: node (any version with WebAssembly; measured with Node 20) and go.
# N sets the messages per measurement (default 2000).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

# The exact messages BenchmarkHandle sends: setup, spawn, Register, QueryDomain.
MOSTAO_NODE_WORKLOAD="$work/workload.json" go test -count=1 -run '^TestWriteNodeWorkload$' ./adapters/wasm/ >/dev/null

echo "== Node.js $(node --version), scripts/bench-node.mjs"
node scripts/bench-node.mjs adapters/wasm/module/mostao-lua53.wasm "$work/workload.json" "$n"
echo "== wazero (the wasm engine), BenchmarkHandle"
go test -count=1 -run '^$' -bench '^BenchmarkHandle$' -benchtime="${n}x" ./adapters/wasm/ | grep '^Benchmark'
