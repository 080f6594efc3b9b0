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
# a model without a model name: only its content makes it one (sniffed by its analysis, in its one open)
[ -f "$zoo/misc/exported-model.bin" ] || cp testdata/onnx/cnn_seed.onnx "$zoo/misc/exported-model.bin"
files=$(find "$zoo" -type f | wc -l)
bytes=$(find "$zoo" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
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
  # The thread that walks the folders (it opens directories) is discovery's; the others analyse. Any file
  # opened more than once (by discovery and an analysis, or twice by one analysis) is counted.
  python3 - "$work/scan-openat.txt" "$zoo" <<'PY' | tee -a "$work/scan-zoo.txt"
import collections, os, re, sys
log, zoo = sys.argv[1], os.path.normpath(sys.argv[2])
zoo_abs = os.path.abspath(zoo)
walkers, opens = set(), collections.defaultdict(list)
for line in open(log):
    m = re.match(r'(\d+)\s+openat\(AT_FDCWD, "([^"]*)", ([^)]*)\) = (-?\d+)', line)
    if not m or int(m.group(4)) < 0:
        continue
    tid, path, flags = m.group(1), os.path.abspath(m.group(2)), m.group(3)
    if not (path == zoo_abs or path.startswith(zoo_abs + "/")):
        continue
    if "O_DIRECTORY" in flags or os.path.isdir(path):
        walkers.add(tid)
    else:
        opens[path].append(tid)
both = [p for p, t in opens.items() if any(x in walkers for x in t) and any(x not in walkers for x in t)]
per_analysis = collections.Counter(sum(1 for x in t if x not in walkers) for t in opens.values())
print(f"strace (--jobs 2): {len(opens)} files under the zoo opened; {len(both)} opened both by discovery and by "
      f"an analysis (scan opening a file twice)")
print("opens per file by its analysis: " + ", ".join(f"{n} open(s): {c} files" for n, c in sorted(per_analysis.items())))
print("discovery opened (head read, not a model name): " + str(sum(1 for t in opens.values() if any(x in walkers for x in t))) + " files")
twice = sorted(p for p, t in opens.items() if len(t) > 1)
print(f"files opened more than once in the scan: {len(twice)}" + (": " + ", ".join(twice[:5]) if twice else ""))
PY
fi
