#!/bin/sh
# Regenerates the Lua 5.3 expression table that adapters/lua's
# TestLua53ExpressionTable runs on the engine. Needs a real Lua 5.3
# (Debian: apt-get install lua5.3).
set -eu
cd "$(dirname "$0")/.."
lua5.3 scripts/lua53-expressions.lua > adapters/lua/testdata/lua53-expressions.tsv
wc -l adapters/lua/testdata/lua53-expressions.tsv
