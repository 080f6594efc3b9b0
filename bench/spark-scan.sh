#!/usr/bin/env bash
# Benchmark (issue 14): the Spark scan in local mode (local[2]) against `modeltally scan --jobs 2` on
# the same generated zoo, in rows per second, and the bytes the readers fetched against the bytes
# stored. The zoo: four full-size VGG16 ONNX files with 553 MB of weights inline, four VGG16 exports
# with a 553 MB external data file each (sparse, never read), eight copies of every ONNX and Keras
# fixture, a few corrupt and unrelated files. Usage: bench/spark-scan.sh [copies]
set -euo pipefail
cd "$(dirname "$0")/.."
copies="${1:-8}"
work=bench/work
zoo="$work/spark-zoo"
[ -f target/modeltally.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/dev/modeltally/bench ] || mvn -B -q -DskipTests test-compile
inline="$work/vgg16-inline.onnx"
if [ ! -f "$inline" ]; then
  mkdir -p "$work"
  java -Xmx3g -cp target/test-classes:target/modeltally.jar dev.modeltally.bench.InlineOnnxWeights \
    testdata/onnx/vgg16.onnx "$inline"
fi
if [ ! -f "$zoo/.complete-$copies" ]; then
  rm -rf "$zoo"
  mkdir -p "$zoo"
  for i in 1 2 3 4; do
    mkdir -p "$zoo/vgg-inline-$i" "$zoo/vgg-external-$i"
    cp "$inline" "$zoo/vgg-inline-$i/vgg16.onnx"
    cp testdata/onnx/vgg16.onnx "$zoo/vgg-external-$i/vgg16.onnx"
    truncate -s 553430176 "$zoo/vgg-external-$i/vgg16.onnx.data"
  done
  for i in $(seq 1 "$copies"); do
    mkdir -p "$zoo/copy-$i"
    cp -r testdata/onnx testdata/keras "$zoo/copy-$i/"
    mkdir -p "$zoo/copy-$i/compute" && cp testdata/compute/*.onnx "$zoo/copy-$i/compute/"
  done
  mkdir -p "$zoo/misc"
  head -c 5000 /dev/urandom > "$zoo/misc/corrupt.onnx"
  head -c 100 "$inline" > "$zoo/misc/truncated.onnx"
  echo "not a model" > "$zoo/misc/README.md"
  touch "$zoo/.complete-$copies"
fi
files=$(find "$zoo" -type f ! -name '.complete-*' | wc -l)
stored=$(du -sb --apparent-size "$zoo" | cut -f1)
echo "zoo: $files files, $stored bytes stored (apparent size)"

calc() { awk "BEGIN {print $1}"; }
# JSON rows carry "io":{"bytes_read":N,...}; add them up, and count the rows.
sum_io() { grep -ho '"io":{"bytes_read":[0-9]*' "$@" | awk -F: '{s += $NF} END {printf "%.0f", s}'; }
# the same, for the rows of the inline-weight VGG16 files only
sum_io_inline() { grep -h '/vgg-inline-' "$@" | grep -o '"io":{"bytes_read":[0-9]*' | awk -F: '{s += $NF} END {printf "%.0f", s}'; }
rows_of() { cat "$@" | wc -l; }

bin/modeltally --version >/dev/null # builds the CLI jar if needed, outside the timing
/usr/bin/time -f "%e %U %S" -o "$work/spark-zoo.scan.time" \
  bin/modeltally scan "$zoo" --jobs 2 --format jsonl -o "$work/spark-zoo.scan.jsonl" --quiet
read -r scan_s scan_user scan_sys < "$work/spark-zoo.scan.time"
scan_rows=$(rows_of "$work/spark-zoo.scan.jsonl")
scan_read=$(sum_io "$work/spark-zoo.scan.jsonl")

out="$work/spark-zoo.spark"
rm -rf "$out"
bin/modeltally-spark scan --help >/dev/null # builds the job jar and fetches Spark if needed, outside the timing
/usr/bin/time -f "%e %U %S" -o "$work/spark-zoo.spark.time" \
  bin/modeltally-spark scan --master 'local[2]' --output "$out" "$zoo" > "$work/spark-zoo.spark.txt"
read -r spark_s spark_user spark_sys < "$work/spark-zoo.spark.time"
spark_rows=$(rows_of "$out"/part-*)
spark_read=$(sum_io "$out"/part-*)
inline_read=$(sum_io_inline "$out"/part-*)
inline_stored=$(stat -c %s "$zoo"/vgg-inline-*/vgg16.onnx | awk '{s += $1} END {printf "%.0f", s}')
job_s=$(grep -o '"seconds" : [0-9.]*' "$out/_summary.json" | awk '{print $3}')
models=$(grep -A3 '"io"' "$out/_summary.json" | grep -o '"bytes_stored" : [0-9]*' | awk '{print $3}')

{
  printf 'scan --jobs 2:        %5d rows in %6.2f s wall  = %7.1f rows/s; %6.2f s CPU; %.0f bytes read\n' \
    "$scan_rows" "$scan_s" "$(calc "$scan_rows / $scan_s")" "$(calc "$scan_user + $scan_sys")" "$scan_read"
  printf 'spark local[2]:       %5d rows in %6.2f s wall  = %7.1f rows/s; %6.2f s CPU; %.0f bytes read\n' \
    "$spark_rows" "$spark_s" "$(calc "$spark_rows / $spark_s")" "$(calc "$spark_user + $spark_sys")" "$spark_read"
  printf 'spark job alone:      %5d rows in %6.2f s       = %7.1f rows/s (without JVM and SparkSession start)\n' \
    "$spark_rows" "$job_s" "$(calc "$spark_rows / $job_s")"
  printf 'bytes read / stored:  %.0f / %.0f in model files (%.4f%%), %.0f in the whole zoo (%.4f%%)\n' \
    "$spark_read" "$models" "$(calc "100 * $spark_read / $models")" "$stored" \
    "$(calc "100 * $spark_read / $stored")"
  printf 'inline VGG16 files:   %.0f / %.0f bytes read (%.4f%%)\n' "$inline_read" "$inline_stored" \
    "$(calc "100 * $inline_read / $inline_stored")"
  echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$work/spark-scan.txt"
