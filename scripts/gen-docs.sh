#!/usr/bin/env bash
# Regenerate the checked-in command reference (docs/cli, Markdown) and man
# pages (docs/man) from the Cobra tree. Run after changing any command's
# flags or help; CI fails when they are out of date (scripts/check-generated.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf docs/cli docs/man
go run ./cmd/gen-docs --markdown docs/cli --man docs/man
echo "wrote docs/cli and docs/man"
