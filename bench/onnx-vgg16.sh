#!/usr/bin/env bash
# Benchmark (issue 3): whole-process time and peak RSS of `modeltally inspect` on a full-size VGG16
# ONNX file (553 MB of weights inline), made from the layout-only fixture by InlineOnnxWeights.
# Usage: bench/onnx-vgg16.sh [runs]     (needs /usr/bin/time; Debian package "time")
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
work=bench/work
mkdir -p "$work"
[ -f target/modeltally.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/dev/modeltally/bench ] || mvn -B -q test-compile
model="$work/vgg16-inline.onnx"
if [ ! -f "$model" ]; then
  java -Xmx3g -cp target/test-classes:target/modeltally.jar dev.modeltally.bench.InlineOnnxWeights \
    testdata/onnx/vgg16.onnx "$model"
fi
ls -l "$model"
bin/modeltally inspect "$model" | sed -n '1,12p'
echo "runs: $runs (page cache warm after the first)"
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e s elapsed, %M KB peak RSS" bin/modeltally inspect --json "$model" >/dev/null
done 2>&1 | tee "$work/onnx-vgg16.txt"
