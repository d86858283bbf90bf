#!/usr/bin/env bash
# Runs each fuzz target listed in a targets file for a short time, one after
# the other, and fails on the first target that finds a failing input (Go
# writes it to the package's testdata/fuzz/FuzzXxx/; commit it with the fix).
#
#   scripts/fuzz-short.sh                         # scripts/fuzz-targets.txt, 5s each
#   FUZZTIME=30s scripts/fuzz-short.sh my-list.txt
#
# A targets file holds one PACKAGE:FuzzName a line (./pkg/jamf:FuzzDecodePage);
# blank lines and lines starting with # are ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

list=${1:-scripts/fuzz-targets.txt}
fuzztime=${FUZZTIME:-5s}
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
  # to a minute, far past -fuzztime, and the run then fails with "context
  # deadline exceeded" although nothing was found.
  go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10x -parallel 1
  n=$((n + 1))
done < "$list"
echo "fuzz-short: $n target(s) ran for $fuzztime each"
