#!/usr/bin/env bash
# Fails when docs/cli or docs/man differ from what the Cobra tree generates.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/gen-docs --markdown "$tmp/cli" --man "$tmp/man"
if ! diff -r "$tmp/cli" docs/cli >/dev/null 2>&1 || ! diff -r "$tmp/man" docs/man >/dev/null 2>&1; then
  diff -ru docs/cli "$tmp/cli" | head -40 || true
  diff -ru docs/man "$tmp/man" | head -20 || true
  echo "docs/cli or docs/man are out of date: run scripts/gen-docs.sh and commit the result" >&2
  exit 1
fi
echo "docs/cli and docs/man are up to date"
