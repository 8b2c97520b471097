#!/bin/sh
# Builds memory64.wasm from memory64.wat (wabt's wat2wasm) and writes
# memory64.expected: the results of memory64.calls under Node's memory64
# (node 20: --experimental-wasm-memory64). Both outputs are committed, so
# the tests need neither wabt nor Node.
set -eu
cd "$(dirname "$0")"
wat2wasm --enable-memory64 memory64.wat -o memory64.wasm
node --experimental-wasm-memory64 memory64.mjs > memory64.expected
# The modules of BenchmarkLoweredLoads.
wat2wasm --enable-memory64 loads64.wat -o loads64.wasm
wat2wasm loads32.wat -o loads32.wasm
# The module of TestBulkCopiesAreChargedByLength.
wat2wasm bulkcopy.wat -o bulkcopy.wasm
# The modules of TestBulkInitsAndTablesAreChargedByLength,
# TestMemoryInitLoopStopsWithComputeLimit and TestWritesAreChargedByLength.
wat2wasm bulkinit.wat -o bulkinit.wasm
wat2wasm meminit.wat -o meminit.wasm
wat2wasm fdwrite.wat -o fdwrite.wasm
