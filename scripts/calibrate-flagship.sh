#!/usr/bin/env bash
# Fits the calibrated bar model of the flagship (cases/iris.xml): the stiffness
# factor f and the joint compliance c_j of k = f / (L/(E w t) + 2 c_j), against the
# P2 FEM of uniform paper networks at the two ends of the flagship's width range
# (1 mm and 3 mm; refine 0.6, two elements across the neck, as the case meshes),
# the FEM with the case's material (cases/data/material-agilus30.xml, the modulus
# measured on a printed part; MATERIAL=FILE for another one).
# Prints `mnn calibrate`'s fit; copy f and c_j into the <network> of cases/iris.xml.
#   scripts/calibrate-flagship.sh [extra mnn calibrate options]
# Takes about 30 s of CPU (two meshes, 48 FEM solves). Needs the build (make).
set -euo pipefail
mnn=${MNN:-build/pipeline/mnn}
[ -x "$mnn" ] || { echo "calibrate-flagship: error: $mnn not found: run make first" >&2; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1} OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for w in 0.001 0.003; do
  "$mnn" lattice paper --width "$w" --width-min 0.001 --width-max 0.003 -o "$work/p$w.xml" -q
  "$mnn" mesh "$work/p$w.xml" -o "$work/p$w.msh" --refine 0.6 --across-neck 2 -q
done
"$mnn" calibrate --joint-compliance "$work/p0.001.xml" "$work/p0.001.msh" "$work/p0.003.xml" "$work/p0.003.msh" \
  --fem-material "${MATERIAL:-cases/data/material-agilus30.xml}" --dry-run "$@"
