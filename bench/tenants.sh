#!/bin/sh
# Wall time of `jamf-scep apply --all --yes` for 1, 10 and 50 fresh tenants
# with 50 ms added latency per request. With --parallel P the total should
# stay near one tenant's chain times ceil(N/P) waves, not the sum.
#   bench/tenants.sh [PARALLEL] [N...]
set -eu
cd "$(dirname "$0")/.."
parallel=${1:-4}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- 1 10 50
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/jamf-scep" ./cmd/jamf-scep
go build -o "$tmp/jamfbench" ./bench/jamfbench
"$tmp/jamfbench" -bin "$tmp/jamf-scep" -latency 50ms -parallel "$parallel" tenants "$@"
