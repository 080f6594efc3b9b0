#!/usr/bin/env bash
# Benchmark for issue 4: `modeltally inspect` on a real-sized VGG16 legacy Keras .h5 (553 MB of weights).
#
# The file is made from the committed layout-only fixture testdata/keras/vgg16.h5 by
# dev.modeltally.bench.FillLayoutOnlyH5 (test classes): same HDF5 bytes as Keras/h5py wrote them, plus
# every dataset's bytes (zeros) appended and pointed to, so Keras itself loads it. No Python needed.
#
# Reports wall-clock time and peak RSS of the whole `bin/modeltally inspect` process (GNU time),
# for RUNS runs (default 5), warm page cache. Targets: < 1 s and < 150 MB.
# Set BENCH_DROP_CACHES=1 (root only) to also time one cold-cache run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
runs="${RUNS:-5}"
out="${BENCH_DIR:-$here/target/bench}"
mkdir -p "$out"

if [ ! -f target/modeltally.jar ] || [ ! -d target/test-classes/dev/modeltally/bench ]; then
  mvn -B -q -DskipTests package test-compile >&2
fi
model="$out/vgg16.h5"
if [ ! -f "$model" ]; then
  java -cp target/test-classes:target/modeltally.jar dev.modeltally.bench.FillLayoutOnlyH5 \
    testdata/keras/vgg16.h5 "$model" >&2
fi
printf 'model: %s (%s bytes)\n' "$model" "$(stat -c %s "$model")"

measure() { # $1 = label, rest = command; prints wall time, CPU time (user + sys) and peak RSS
  local label="$1"; shift
  local t="$out/time.txt"
  /usr/bin/time -v "$@" > "$out/stdout.txt" 2> "$t"
  local wall cpu rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$t")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$t")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$t")
  printf '%-12s wall %5.2f s   cpu %5.2f s   peak RSS %6s MB\n' "$label" "$wall" "$cpu" "$rss"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs (wall time suffers when the machine is busy)"
measure "jvm baseline" bin/modeltally --version

grep -q '138,357,544' <(bin/modeltally inspect "$model") || { echo "unexpected parameter count" >&2; exit 1; }
if [ "${BENCH_DROP_CACHES:-0}" = 1 ]; then
  sync && echo 3 > /proc/sys/vm/drop_caches && measure cold bin/modeltally inspect "$model"
fi
for i in $(seq 1 "$runs"); do
  measure "table #$i" bin/modeltally inspect "$model"
done
measure json bin/modeltally inspect --json "$model"
