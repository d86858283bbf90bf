#!/usr/bin/env bash
# startup.sh measures jamf-scep start-up as whole processes: the wall time of
# `jamf-scep version` and of `jamf-scep profile build` on the example config,
# RUNS times each (default 50, after 3 unmeasured warm-up runs), and prints
# the median and 90th percentile in milliseconds next to the target.
#
#   bench/startup.sh [RUNS]
#
# The binary is built once, the way a release builds it (CGO off, -trimpath,
# stripped). Figures are printed, never judged: the script fails only when
# it cannot build or run the binary at all. Record notable figures in
# CHANGELOG.md or the pull request.
set -euo pipefail

readonly runs="${1:-50}"
readonly warmups=3
readonly target_ms=20
readonly example=examples/okta-device-access.yaml

if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  printf "startup.sh: invalid value '%s' for RUNS; use a positive whole number such as 50\n" "$runs" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_root
cd "$repo_root"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
readonly bin="$tmp/jamf-scep"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin" ./cmd/jamf-scep

# now_us prints the wall clock in microseconds. Bash 5's EPOCHREALTIME needs
# no fork, so it adds nothing to the interval; older shells fall back to date.
if [[ -n ${EPOCHREALTIME:-} ]]; then
  now_us() { local t=${EPOCHREALTIME/[.,]/}; printf '%s' "$((10#$t))"; }
else
  now_us() { printf '%s' "$(($(date +%s%N) / 1000))"; }
fi

ms() { printf '%d.%d ms' "$(($1 / 1000))" "$((($1 % 1000) / 100))"; }

# measure LABEL ARGS... runs the binary with ARGS and prints one result line.
measure() {
  local label=$1 i start end err
  shift
  # One checked run first: a command that does not exist yet (or fails) is
  # reported and skipped rather than timed.
  if ! err=$("$bin" "$@" 2>&1 >/dev/null); then
    printf '%-68s skipped: %s\n' "$label" "$(head -n 1 <<<"$err")"
    return 0
  fi
  for ((i = 0; i < warmups; i++)); do
    "$bin" "$@" >/dev/null 2>&1
  done
  local -a times=()
  for ((i = 0; i < runs; i++)); do
    start=$(now_us)
    "$bin" "$@" >/dev/null 2>&1
    end=$(now_us)
    times+=("$((end - start))")
  done
  local -a sorted
  mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
  # Nearest-rank percentiles: the median of an even count is its upper middle.
  local median=${sorted[$((runs / 2))]}
  local p90=${sorted[$(((runs * 9 + 9) / 10 - 1))]}
  printf '%-68s %10s %10s\n' "$label" "$(ms "$median")" "$(ms "$p90")"
}

printf 'jamf-scep start-up: %d runs each, %s, %s/%s, %s CPUs\n' \
  "$runs" "$(go env GOVERSION)" "$(go env GOOS)" "$(go env GOARCH)" "$(getconf _NPROCESSORS_ONLN)"
printf 'target < %d ms (median)\n\n' "$target_ms"
printf '%-68s %10s %10s\n' command median p90

measure "jamf-scep version" version
if [[ -f $example ]]; then
  measure "jamf-scep profile build --config $example" profile build --config "$example"
else
  printf '%-68s skipped: %s does not exist yet\n' "jamf-scep profile build --config $example" "$example"
fi
