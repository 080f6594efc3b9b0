#!/usr/bin/env bash
# Benchmark (issue 6): `modeltally scan` over a model zoo of ~290 files and ~11.5 GB: ten full-size
# VGG16 ONNX files with 553 MB of weights inline, ten VGG16 exports with a 553 MB external data
# file each, and copies of every ONNX and Keras fixture (a few corrupt and unrelated files mixed in).
# Reports whole-process time, peak RSS, files/s and MB/s (apparent size of the whole zoo, external data
# files included, over wall time) for each --jobs value, then proves with strace that no file is opened
# twice in one scan (openat calls per file under the zoo, directories apart).
# Usage: bench/scan-zoo.sh [jobs...]   (default: 1 2; needs /usr/bin/time, and strace for the open count)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs_list=("${@:-1}")
[ $# -gt 0 ] || jobs_list=(1 2)
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
bytes=$(find "$zoo" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
bin/modeltally --version >/dev/null   # the start-up archive is made on first use, not in a timed run
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "zoo: $files files, $((bytes / 1000000)) MB apparent size" | tee "$work/scan-zoo.txt"
for jobs in "${jobs_list[@]}"; do
  for run in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" \
      bin/modeltally scan "$zoo" --jobs "$jobs" --format jsonl -o "$work/zoo.jsonl" --quiet
    read -r secs rss < "$work/time.txt"
    rows=$(wc -l < "$work/zoo.jsonl")
    awk -v j="$jobs" -v r="$run" -v s="$secs" -v m="$rss" -v n="$rows" -v b="$bytes" 'BEGIN {
      printf "--jobs %s run %s: %5.2f s, %6.1f files/s, %7.0f MB/s, %d rows, peak RSS %d KB\n", j, r, s, n / s, b / 1e6 / s, n, m }'
  done
done 2>&1 | tee -a "$work/scan-zoo.txt"
echo "rows: $(wc -l < "$work/zoo.jsonl"), errors: $(grep -c '"error":{' "$work/zoo.jsonl" || true)" | tee -a "$work/scan-zoo.txt"
if command -v strace >/dev/null; then
  # every successful openat of a path under the zoo that is not a directory, counted per path
  strace -f -qq -e trace=openat -o "$work/scan-openat.txt" \
    bin/modeltally scan "$zoo" --jobs 2 --format jsonl -o "$work/zoo-strace.jsonl" --quiet
  zoo_abs="$(cd "$zoo" && pwd)"
  grep -v 'O_DIRECTORY' "$work/scan-openat.txt" | grep -v '= -1 ' | grep -o "\"[^\"]*\"" | tr -d '"' \
    | sed "s|^$zoo_abs/|$zoo/|" | grep "^$zoo/" | sort | uniq -c | sort -rn > "$work/scan-opens.txt"
  opened=$(wc -l < "$work/scan-opens.txt")
  twice=$(awk '$1 > 1' "$work/scan-opens.txt" | wc -l)
  echo "strace (--jobs 2): $opened files under the zoo opened, $twice of them more than once" | tee -a "$work/scan-zoo.txt"
  awk '$1 > 1' "$work/scan-opens.txt" | head -5
fi
