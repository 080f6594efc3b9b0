#!/usr/bin/env bash
# Benchmark (issue 15): whole-process start-up, side by side in one run, in interleaved rounds.
#  1. `bin/modeltally --version` against a bare JVM printing one line (Hello, written below) — target <= 2x;
#  2. `bin/modeltally inspect VGG16.onnx` (553 MB of weights inline, made by InlineOnnxWeights as in
#     bench/onnx-vgg16.sh) against `onnx.load` + a count of the initializers' elements in Python — target
#     >= 5x faster; and the peak RSS of inspect — target < 100 MB.
# Both with the default java and, when one is installed, a JDK 24+ (its AOT cache; MODELTALLY_JAVA).
# Usage: bench/startup.sh [rounds]   (default 20; needs python3; PYTHON = python with onnx)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
work=bench/work
mkdir -p "$work/hello"
python="${PYTHON:-/work/venv-fixtures/bin/python}"
[ -f target/modeltally.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/dev/modeltally/bench ] || mvn -B -q test-compile
model="$work/vgg16-inline.onnx"
if [ ! -f "$model" ]; then
  java -Xmx3g -cp target/test-classes:target/modeltally.jar dev.modeltally.bench.InlineOnnxWeights \
    testdata/onnx/vgg16.onnx "$model"
fi
cat > "$work/hello/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
JAVA
javac -d "$work/hello" "$work/hello/Hello.java"
cat > "$work/onnx_count.py" <<'PY'
import sys
import numpy as np
import onnx
model = onnx.load(sys.argv[1])
print(sum(int(np.prod(t.dims)) for t in model.graph.initializer))
PY
jdk25=""
for j in /usr/lib/jvm/*; do
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$j/release" 2>/dev/null || true)
  if [ -n "$v" ] && [ "$v" -ge 24 ] && [ -x "$j/bin/java" ]; then jdk25="$j/bin/java"; fi
done
# The archives are made on first use; make them now so no timed run pays for that.
bin/modeltally --version >/dev/null
[ -z "$jdk25" ] || MODELTALLY_JAVA="$jdk25" bin/modeltally --version >/dev/null
[ "$("$python" "$work/onnx_count.py" "$model")" = 138357544 ] || { echo "python count differs" >&2; exit 1; }
bin/modeltally inspect "$model" | grep -q '138,357,544' || { echo "modeltally count differs" >&2; exit 1; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "java: $(java -version 2>&1 | head -1)${jdk25:+; also $("$jdk25" -version 2>&1 | head -1)}"
# What the archive covers on the inspect path: classes loaded, of them from the archive, and spun at run time.
classes() {
  "$@" >/dev/null
  echo "$(wc -l <"$work/classes.txt") classes, $(grep -c 'shared objects file' "$work/classes.txt") from the archive, $(grep -c '__JVM_LookupDefineClass__\|__Lookup_defineClass__' "$work/classes.txt" || true) spun at run time"
}
log="-Xlog:class+load:file=$work/classes.txt"
echo "inspect, default java: $(MODELTALLY_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss4m $log" classes bin/modeltally inspect "$model")"
[ -z "$jdk25" ] || echo "inspect, JDK 25: $(MODELTALLY_JAVA="$jdk25" MODELTALLY_JAVA_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss4m --sun-misc-unsafe-memory-access=allow $log" classes bin/modeltally inspect "$model")"
cmds=(hello17 "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $work/hello Hello"
      version17 "bin/modeltally --version"
      python "$python $work/onnx_count.py $model"
      inspect17 "bin/modeltally inspect $model"
      inspect-json17 "bin/modeltally inspect --json $model")
if [ -n "$jdk25" ]; then
  cmds+=(hello25 "$jdk25 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $work/hello Hello"
         version25 "env MODELTALLY_JAVA=$jdk25 bin/modeltally --version"
         inspect25 "env MODELTALLY_JAVA=$jdk25 bin/modeltally inspect $model")
fi
# Interleaved: every round runs each command once, in a new random order, so a change in the machine's
# load during the run touches all of them alike (two untimed rounds first). Wall time, CPU time (user +
# system) and peak RSS of each process, from wait4.
python3 - "$runs" "${cmds[@]}" <<'PY' | tee "$work/startup.txt"
import os, random, shlex, statistics, subprocess, sys, time
runs = int(sys.argv[1])
cmds = list(zip(sys.argv[2::2], sys.argv[3::2]))
load = lambda: " ".join(open("/proc/loadavg").read().split()[:3])
print(f"load average before: {load()}; {runs} interleaved rounds", flush=True)
res = {name: [] for name, _ in cmds}
for r in range(runs + 2):
    order = cmds[:]
    random.shuffle(order)
    for name, cmd in order:
        t0 = time.perf_counter()
        p = subprocess.Popen(shlex.split(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        if status != 0:
            sys.exit(f"{name} failed: {cmd}")
        if r >= 2:
            res[name].append((wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss))
print(f"load average after:  {load()}")
med = {n: statistics.median(x[0] for x in v) for n, v in res.items()}
for n, v in res.items():
    print(f"{n:15s} wall median {med[n]*1000:7.1f} ms  min {min(x[0] for x in v)*1000:7.1f} ms  "
          f"CPU median {statistics.median(x[1] for x in v)*1000:7.1f} ms  peak RSS {max(x[2] for x in v)//1024} MB")
def ratio(a, b, what, target):
    print(f"{what}: {med[a] / med[b]:.2f}x ({a} / {b}, wall medians; target {target})")
ratio("version17", "hello17", "--version vs bare JVM, default java", "<= 2")
ratio("python", "inspect17", "inspect VGG16 vs onnx.load + count, default java", ">= 5")
ratio("python", "inspect-json17", "inspect --json VGG16 vs onnx.load + count, default java", ">= 5")
if "version25" in med:
    ratio("version25", "hello25", "--version vs bare JVM, JDK 25 with AOT cache", "<= 2")
    ratio("version25", "hello17", "--version (JDK 25) vs bare JVM (default java)", "<= 2")
    ratio("python", "inspect25", "inspect VGG16 vs onnx.load + count, JDK 25 with AOT cache", ">= 5")
print(f"peak RSS: inspect {max(x[2] for x in res['inspect17'])//1024} MB (target < 100 MB), "
      f"python {max(x[2] for x in res['python'])//1024} MB")
PY
