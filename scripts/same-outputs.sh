#!/usr/bin/env bash
# Proves a refactor changes no output: builds the default report and every fixture report
# under tests/roots/ with the builder of BASE (a git revision, default HEAD) and with the
# working tree, in every edition, format and print option, each from a fresh copy with an
# empty cache, and compares the files byte for byte.
#
#   scripts/same-outputs.sh [BASE]      exit 0: identical; 1: the differing files are listed
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-HEAD}
python=${PYTHON:-$PWD/.venv/bin/python}
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$base" >/dev/null 2>&1

# Option sets: each is built for every project with every edition and format.
option_sets=(
  ""
  "--duplex --grayscale --paper Letter --margins 20"
  "-c 2"
  "-c 2 --restart-pages --duplex"
  "-c 1 -f pdf --crop-marks"
  "--each-chapter -e bilingual"
)

# build BUILDER_DIR NAME: every project and option set, outputs under $work/NAME/.
build() {
  local builder=$1 name=$2 project set i=0
  for project in "$PWD" tests/roots/*/; do
    project=$(cd "$project" && pwd)
    for set in "${option_sets[@]}"; do
      i=$((i + 1))
      local copy="$work/$name-src/$i" out="$work/$name/$(basename "$project")/$i"
      mkdir -p "$copy" "$out"
      cp -r "$project/content" "$project/data" "$copy/"
      # shellcheck disable=SC2086
      (cd "$builder" && "$python" -c "from builder.cli import main; main()" build --project "$copy" -o "$out" $set -j 2 \
         >/dev/null 2>"$work/$name.log") || { echo "$name: build failed: $set"; cat "$work/$name.log"; exit 2; }
    done
  done
}

build "$work/base" before
build "$PWD" after
(cd "$work/before" && find . -type f | sort | xargs sha256sum) >"$work/before.sums"
(cd "$work/after" && find . -type f | sort | xargs sha256sum) >"$work/after.sums"
files=$(wc -l <"$work/after.sums")
if diff "$work/before.sums" "$work/after.sums"; then
  echo "identical: $files files ($base vs working tree)"
else
  echo "DIFFERENT ($base vs working tree; lines above: < before, > after)"
  exit 1
fi
