#!/usr/bin/env bash
# Prints a Markdown table of every case's headline numbers, read from the reports
# that `make cases` wrote (build/cases/*/report.xml), for docs/results.md.
# usage: scripts/results-table.sh [BUILD_DIR]
set -euo pipefail
build=${1:-build}
get() { xmllint --xpath "string($2)" "$1" 2>/dev/null || true; }
fmt() { [ -n "$1" ] && printf "%.${2}g" "$1" || printf -- "–"; }
metric() { get "$1" "//training/metric[@name='$2']/@value"; }

echo "| case | task | loss start → end | train / test metric (bar) | FEM train / test metric | max output diff bar–FEM (of the largest output) | gradient cosine | STL facets, volume (mm³) | warnings / errors | verdict |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for r in "$build"/cases/*/report.xml; do
  [ -f "$r" ] || continue
  name=$(get "$r" "/report/case/@name")
  task=$(get "$r" "//training/@task")
  l0=$(get "$r" "//training/@initial-loss"); l1=$(get "$r" "//training/@final-loss")
  acc_tr=$(metric "$r" final-train-accuracy); acc_te=$(metric "$r" final-test-accuracy)
  mse_tr=$(metric "$r" final-train-mse); mse_te=$(metric "$r" final-test-mse)
  if [ -n "$acc_tr" ]; then m="acc $(fmt "$acc_tr" 3) / $(fmt "$acc_te" 3)"; else m="MSE $(fmt "$mse_tr" 3) / $(fmt "$mse_te" 3) m²"; fi
  kind=$(get "$r" "//task-check/@kind")
  fem_tr=$(get "$r" "//task-check/@fem-train"); fem_te=$(get "$r" "//task-check/@fem-test")
  fem_acc=$(get "$r" "//summary/@fem-test-accuracy"); fem_mse=$(metric "$r" fem-test-mse)
  if [ "$kind" = classification ]; then fm="acc $(fmt "$fem_tr" 3) / $(fmt "$fem_te" 3)"
  elif [ "$kind" = regression ]; then fm="MSE $(fmt "$fem_tr" 3) / $(fmt "$fem_te" 3)"
  elif [ -n "$fem_acc" ]; then fm="acc – / $(fmt "$fem_acc" 3)"; elif [ -n "$fem_mse" ]; then fm="MSE – / $(fmt "$fem_mse" 3)"; else fm="–"; fi
  dmax=$(get "$r" "//summary/@displacement-max-scaled-difference")
  [ -n "$dmax" ] || dmax=$(get "$r" "//summary/@displacement-max-relative-difference")
  verdict=$(get "$r" "/report/verdict/@headline")
  cosine=$(get "$r" "//summary/@gradient-cosine")
  facets=$(get "$r" "//stl/@facets"); vol=$(get "$r" "//stl/@volume-mm3")
  w=$(get "$r" "//discrepancies/@warnings"); e=$(get "$r" "//discrepancies/@errors")
  stl="–"; [ -n "$facets" ] && stl="$facets, $(fmt "$vol" 5)"
  d="–"; [ -n "$dmax" ] && d="$(fmt "$(awk -v x="$dmax" 'BEGIN { print 100 * x }')" 3)%"
  echo "| $name | $task | $(fmt "$l0" 4) → $(fmt "$l1" 4) | $m | $fm | $d | $(fmt "$cosine" 4) | $stl | ${w:-0} / ${e:-0} | ${verdict:-–} |"
done
