#!/usr/bin/env bash
# release-check.sh proves .goreleaser.yaml with the pinned goreleaser:
# `goreleaser check`, then a snapshot build for this machine's platform.
#
# goreleaser is built from the Go module proxy once (slow: minutes) into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/jamf-scep/goreleaser-v2.16.0/
# and reused on every later run. It is not part of the unit tests or .ci/run.
#
# Usage: scripts/release-check.sh [--full]
#
#   --full  also run `goreleaser release --snapshot --clean --skip=publish,sign
#           --parallelism 1`:
#           every platform, the universal binary, archives, deb and rpm
#           packages, SBOMs (when syft is on PATH; skipped otherwise),
#           checksums and the cask, written to dist/ and listed; nothing is
#           uploaded or pushed. Signing is always skipped: its keyless
#           identity is the release workflow's (.github/workflows/release.yml).
#
# Neither mode needs syft or cosign: `check` validates the sboms and signs
# sections without running them, and `build` stops before them.
set -euo pipefail

readonly goreleaser_version=v2.16.0
readonly goreleaser_module=github.com/goreleaser/goreleaser/v2
readonly cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/jamf-scep"
readonly bin_dir="$cache_root/goreleaser-$goreleaser_version"
readonly goreleaser="$bin_dir/goreleaser"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly repo_root

now_ms() { date +%s%3N; }

# step NAME CMD... runs CMD and reports how long it took, on stderr.
step() {
  local name=$1 start
  shift
  start=$(now_ms)
  printf '==> %s\n' "$name" >&2
  "$@"
  printf '==> %s: done in %d ms\n' "$name" "$(($(now_ms) - start))" >&2
}

install_goreleaser() {
  mkdir -p "$cache_root"
  # Install into a scratch GOBIN and move the binary into place, so an
  # interrupted build never leaves a half-written goreleaser in the cache.
  local tmp
  tmp=$(mktemp -d "$cache_root/.goreleaser-install.XXXXXX")
  # shellcheck disable=SC2064 # expand $tmp now: it is local to this function.
  trap "rm -rf '$tmp'" EXIT
  printf 'building goreleaser %s from the Go module proxy (first run only; takes minutes)\n' \
    "$goreleaser_version" >&2
  GOBIN="$tmp" CGO_ENABLED=0 go install "$goreleaser_module@$goreleaser_version"
  mkdir -p "$bin_dir"
  mv "$tmp/goreleaser" "$goreleaser"
  rm -rf "$tmp"
  trap - EXIT
}

usage() {
  printf 'usage: scripts/release-check.sh [--full]\n' >&2
  exit 2
}

main() {
  local full=false
  case $# in
    0) ;;
    1) [[ $1 == --full ]] || usage; full=true ;;
    *) usage ;;
  esac

  local total_start
  total_start=$(now_ms)
  cd "$repo_root"

  if [[ -x $goreleaser ]]; then
    printf 'using cached goreleaser %s: %s\n' "$goreleaser_version" "$goreleaser" >&2
  else
    step "build goreleaser $goreleaser_version" install_goreleaser
  fi

  step "goreleaser check" "$goreleaser" check
  step "goreleaser build --snapshot --clean --single-target" \
    "$goreleaser" build --snapshot --clean --single-target

  printf '\nbuilt:\n'
  local bin
  while IFS= read -r bin; do
    printf '  %s (%s bytes)\n' "$bin" "$(wc -c <"$bin" | tr -d ' ')"
    # Single-target builds are for this machine, so the binary runs here;
    # its version line shows the snapshot ldflags took effect.
    printf '    $ %s version\n' "$(basename "$bin")"
    "$bin" version | sed 's/^/    /'
  done < <(find dist -type f \( -name jamf-scep -o -name jamf-scep.exe \) | sort)

  if [[ $full == true ]]; then
    # --parallelism 1: the universal binary's slice order follows build
    # completion, so only a serial build is reproducible (.goreleaser.yaml).
    local skip=publish,sign
    if ! command -v syft >/dev/null; then
      printf 'syft is not on PATH: skipping the SBOMs\n' >&2
      skip+=,sbom
    fi
    step "goreleaser release --snapshot --clean --skip=$skip --parallelism 1" \
      "$goreleaser" release --snapshot --clean --skip="$skip" --parallelism 1
    printf '\nrelease artifacts:\n'
    find dist -maxdepth 1 -type f \( -name '*.tar.gz' -o -name '*.zip' -o -name '*.deb' \
      -o -name '*.rpm' -o -name '*.sbom.json' -o -name checksums.txt \) |
      sort | sed 's/^/  /'
    find dist/homebrew -type f -name '*.rb' | sed 's/^/  /'
  fi

  printf '\nrelease-check: ok in %d ms\n' "$(($(now_ms) - total_start))"
}

main "$@"
