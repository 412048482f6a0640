#!/usr/bin/env bash
# Proves a refactor changes no output: builds the default report and every fixture report
# under tests/roots/ (content and data as they are at BASE, so both builders can read
# them) with the builder of BASE and with the builder of AFTER (default: the working
# tree), in every edition, format and print option, each from a fresh copy with an empty
# cache, and compares the files byte for byte.
#
#   scripts/same-outputs.sh BASE [AFTER]     exit 0: identical; 1: the differing files are listed
#
# OWN_CONTENT=1 (with AFTER): each builder builds its own revision's content and fixture
# reports instead, for a change that moves a report's look from code into its content
# (a [theme] in report.toml): the outputs must still be the same.
#
# The PDFs' CJK font subsets cover the characters of the builder's own source as well
# (build.project_chars), so a new word in a comment would change every Chinese PDF: both
# builders are given one extra module holding the characters of both sources, and so
# embed the same subsets; what is compared is what the code does.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/same-outputs.sh BASE [AFTER]}
after=${2:-}
python=${PYTHON:-$PWD/.venv/bin/python}
work=$(mktemp -d)
cleanup() {
  git worktree remove --force "$work/base-tree" >/dev/null 2>&1 || true
  [ -n "$after" ] && { git worktree remove --force "$work/after-tree" >/dev/null 2>&1 || true; }
  rm -rf "$work"
}
trap cleanup EXIT
git worktree add --detach "$work/base-tree" "$base" >/dev/null 2>&1
if [ -n "$after" ]; then
  git worktree add --detach "$work/after-tree" "$after" >/dev/null 2>&1
else
  mkdir "$work/after-tree" && cp -r builder "$work/after-tree/"
fi
"$python" - "$work/base-tree/builder" "$work/after-tree/builder" <<'EOF'
import sys
from pathlib import Path
chars = sorted({c for folder in sys.argv[1:] for p in Path(folder).rglob("*.py") for c in p.read_text()})
for folder in sys.argv[1:]:
    (Path(folder) / "_same_chars.py").write_text(f"CHARS = {''.join(chars)!r}\n")
EOF

# Option sets: each is built for every project with every edition and format.
option_sets=(
  ""
  "--duplex --grayscale --paper Letter --margins 20"
  "-c 2"
  "-c 2 --restart-pages --duplex"
  "-c 1 -f pdf --crop-marks"
  "--each-chapter -e bilingual"
)

# build BUILDER_DIR NAME TREE: every project of TREE and option set, outputs under $work/NAME/.
build() {
  local builder=$1 name=$2 tree=$3 project options i=0
  for project in "$tree" "$tree"/tests/roots/*/; do
    for options in "${option_sets[@]}"; do
      i=$((i + 1))
      local label=report   # the same for both trees, so that the lists of sums compare
      [ "$project" = "$tree" ] || label=$(basename "$project")
      local copy="$work/$name-src/$i" out="$work/$name/$label/$i"
      mkdir -p "$copy" "$out"
      cp -r "$project/content" "$project/data" "$copy/"
      # shellcheck disable=SC2086
      (cd "$builder" && "$python" -c "from builder.cli import main; main()" build --project "$copy" \
         -o "$out" $options -j 2 >/dev/null 2>"$work/$name.log") \
        || { echo "$name: build failed: $options"; cat "$work/$name.log"; exit 2; }
    done
  done
}

build "$work/base-tree" before "$work/base-tree"
if [ -n "${OWN_CONTENT:-}" ] && [ -n "$after" ]; then
  build "$work/after-tree" after "$work/after-tree"
else
  build "$work/after-tree" after "$work/base-tree"
fi
(cd "$work/before" && find . -type f | sort | xargs sha256sum) >"$work/before.sums"
(cd "$work/after" && find . -type f | sort | xargs sha256sum) >"$work/after.sums"
files=$(wc -l <"$work/after.sums")
if diff "$work/before.sums" "$work/after.sums"; then
  echo "identical: $files files ($base vs ${after:-the working tree})"
else
  echo "DIFFERENT ($base vs ${after:-the working tree}; lines above: < before, > after)"
  exit 1
fi
