#!/bin/sh
# HTTP requests per `jamf-scep apply` run, from the simulator's request log:
# a fresh tenant, a converged tenant (second run) and a scope-only change.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/jamf-scep" ./cmd/jamf-scep
go build -o "$tmp/jamfbench" ./bench/jamfbench
"$tmp/jamfbench" -bin "$tmp/jamf-scep" requests
