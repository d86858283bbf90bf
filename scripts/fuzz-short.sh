#!/usr/bin/env bash
# Runs each fuzz target listed in a targets file for a short budget, one after
# the other, and fails on the first target that finds a failing input (Go
# writes it to the package's testdata/fuzz/FuzzXxx/; commit it with the fix).
#
#   scripts/fuzz-short.sh                         # scripts/fuzz-targets.txt, 10000 execs each
#   FUZZTIME=200000x scripts/fuzz-short.sh my-list.txt
#
# The budget is a count of executions (Nx), not a duration: with a duration,
# Go 1.26's fuzz coordinator can report "context deadline exceeded" as a
# failure when -fuzztime runs out although nothing was found (a race between
# its deadline and its workers' shutdown, go.dev/issue/75804, fixed in Go
# 1.27). A count has no deadline to race. 10000 executions take 1-15 s per
# target on a 2-core machine (about 3 minutes for the whole list).
#
# A targets file holds one PACKAGE:FuzzName a line (./pkg/jamf:FuzzDecodePage);
# blank lines and lines starting with # are ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

list=${1:-scripts/fuzz-targets.txt}
fuzztime=${FUZZTIME:-10000x}
n=0
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%%#*}
  line=$(printf '%s' "$line" | tr -d '[:space:]')
  [ -z "$line" ] && continue
  pkg=${line%%:*}
  name=${line#*:}
  if [ "$pkg" = "$line" ] || [ -z "$name" ]; then
    echo "fuzz-short: bad line in $list: '$line' (want PACKAGE:FuzzName)" >&2
    exit 2
  fi
  printf -- '--- %s %s (%s)\n' "$pkg" "$name" "$fuzztime"
  # -parallel 1: CI machines are shared; -run '^$' skips the unit tests.
  # -fuzzminimizetime 10x: minimizing each new input may otherwise take up
  # to a minute of the budget.
  go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10x -parallel 1
  n=$((n + 1))
done < "$list"
echo "fuzz-short: $n target(s) ran for $fuzztime each"
