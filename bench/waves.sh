#!/bin/sh
# Issue 14's table: for a converged apply (with and without profile_id),
# plan, a fresh tenant and verify of 10,000 Macs, the requests and
# sequential waves from the simulator's request log, wall time at 0, 50 and
# 200 ms of added latency per request, and peak RSS of the 10,000-Mac runs.
# Usage: bench/waves.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/jamf-scep" ./cmd/jamf-scep
go build -o "$tmp/jamfbench" ./bench/jamfbench
"$tmp/jamfbench" -bin "$tmp/jamf-scep" -runs "${1:-3}" waves
