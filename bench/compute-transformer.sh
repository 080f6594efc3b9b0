#!/usr/bin/env bash
# Benchmark (issue 5): shape inference + compute estimate on a ~6,000-node transformer export.
# The model (GPT-2 style, 102 layers, TorchScript-exporter idioms, dynamic batch and sequence,
# layout-only weights) is generated in Java by TransformerOnnx; ComputeBench times reading and
# analysis in-process (first run = cold JIT, then median/best); finally the whole CLI process.
# Usage: bench/compute-transformer.sh [runs] [layers]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
layers="${2:-102}"
work=bench/work
mkdir -p "$work"
[ -f target/modeltally.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/dev/modeltally/bench ] || mvn -B -q test-compile
cp=target/test-classes:target/modeltally.jar
model="$work/transformer-$layers.onnx"
java -cp "$cp" dev.modeltally.bench.TransformerOnnx "$model" "$layers"
ls -l "$model"
java -Xss4m -cp "$cp" dev.modeltally.bench.ComputeBench "$model" "$runs" input_ids=1x1024 | tee "$work/compute-transformer.txt"
echo "whole process, bin/modeltally inspect --json --input-shape input_ids=1x1024 (3 runs):"
for i in 1 2 3; do
  start=$(date +%s.%N)
  bin/modeltally inspect --json --input-shape input_ids=1x1024 "$model" >/dev/null
  end=$(date +%s.%N)
  echo "  $(echo "$end - $start" | bc) s"
done | tee -a "$work/compute-transformer.txt"
