#!/usr/bin/env bash
# Regenerate docs/report-failing.png: the HTML report of the sample failing
# run, opened at its first failure, rendered by headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./reports/internal/screenshot -out docs/report-failing.png "$@"
echo "wrote docs/report-failing.png"
