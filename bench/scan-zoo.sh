#!/usr/bin/env bash
# Benchmark (issue 6): `modeltally scan` over a model zoo of ~290 files and ~11.5 GB: ten full-size
# VGG16 ONNX files with 553 MB of weights inline, ten VGG16 exports with a 553 MB external data
# file each, and copies of every ONNX and Keras fixture (a few corrupt and unrelated files mixed in).
# Reports whole-process time and peak RSS. Usage: bench/scan-zoo.sh [jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${1:-$(nproc)}"
work=bench/work
zoo="$work/zoo"
[ -f target/modeltally.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/dev/modeltally/bench ] || mvn -B -q test-compile
inline="$work/vgg16-inline.onnx"
if [ ! -f "$inline" ]; then
  java -Xmx3g -cp target/test-classes:target/modeltally.jar dev.modeltally.bench.InlineOnnxWeights \
    testdata/onnx/vgg16.onnx "$inline"
fi
if [ ! -f "$zoo/.complete" ]; then
  rm -rf "$zoo"
  mkdir -p "$zoo"
  for i in $(seq -w 1 10); do
    mkdir -p "$zoo/vgg-inline-$i" "$zoo/vgg-external-$i"
    cp "$inline" "$zoo/vgg-inline-$i/vgg16.onnx"
    cp testdata/onnx/vgg16.onnx "$zoo/vgg-external-$i/vgg16.onnx"
    # the external data file at its full size (553,430,176 bytes); its content is never read
    truncate -s 553430176 "$zoo/vgg-external-$i/vgg16.onnx.data"
  done
  for i in 1 2 3; do mkdir -p "$zoo/onnx-$i" && cp -r testdata/onnx/. "$zoo/onnx-$i/"; done
  for i in 1 2; do mkdir -p "$zoo/keras-$i" && cp -r testdata/keras/. "$zoo/keras-$i/"; done
  mkdir -p "$zoo/misc"
  head -c 5000 /dev/urandom > "$zoo/misc/corrupt.onnx"
  head -c 100 "$inline" > "$zoo/misc/truncated.onnx"
  echo "not a model" > "$zoo/misc/README.md"
  touch "$zoo/.complete"
fi
files=$(find "$zoo" -type f | wc -l)
echo "zoo: $files files, $(du -sh --apparent-size "$zoo" | cut -f1) apparent size, jobs $jobs"
for run in 1 2 3; do
  /usr/bin/time -f "run $run: %e s elapsed, %M KB peak RSS" \
    bin/modeltally scan "$zoo" --jobs "$jobs" --format jsonl -o "$work/zoo.jsonl" --quiet
done 2>&1 | tee "$work/scan-zoo.txt"
echo "rows: $(wc -l < "$work/zoo.jsonl"), errors: $(grep -c '"error":{' "$work/zoo.jsonl" || true)"
