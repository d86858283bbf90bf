#!/bin/sh
# Measure `jamf-scep verify` against the simulator seeded with 10,000
# computers: requests made and wall time, without and with per-request
# latency. Usage: bench/verify.sh [COMPUTERS]
set -eu
cd "$(dirname "$0")/.."
n="${1:-10000}"
go run ./bench/verify -computers "$n"
echo
go run ./bench/verify -computers "$n" -latency 50ms
