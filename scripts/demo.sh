#!/usr/bin/env bash
# The flagship case end to end. Until the pipeline lands this is the paper's
# network written to build/demo/.
set -euo pipefail
BUILD=${1:-build}
out=$BUILD/demo
mkdir -p "$out"
"$BUILD/pipeline/mnn" lattice paper -o "$out/paper.xml"
echo "mnn demo: outputs in $out"
