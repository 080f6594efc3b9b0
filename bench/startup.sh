#!/usr/bin/env bash
# Benchmark (issue 15): whole-process start-up, side by side in one hyperfine run, interleaved warm-up.
#  1. `bin/modeltally --version` against a bare JVM printing one line (Hello, written below) — target <= 2x;
#  2. `bin/modeltally inspect VGG16.onnx` (553 MB of weights inline, made by InlineOnnxWeights as in
#     bench/onnx-vgg16.sh) against `onnx.load` + a count of the initializers' elements in Python — target
#     >= 5x faster; and the peak RSS of inspect (GNU time) — target < 100 MB.
# Both with the default java and, when one is installed, a JDK 24+ (its AOT cache; MODELTALLY_JAVA).
# Usage: bench/startup.sh [runs]   (needs hyperfine and /usr/bin/time; PYTHON = python with onnx)
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

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1)${jdk25:+; also $("$jdk25" -version 2>&1 | head -1)}"
cmds=(-n hello17 "java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $work/hello Hello"
      -n version17 "bin/modeltally --version"
      -n python "$python $work/onnx_count.py $model"
      -n inspect17 "bin/modeltally inspect $model"
      -n inspect-json17 "bin/modeltally inspect --json $model")
if [ -n "$jdk25" ]; then
  cmds+=(-n hello25 "$jdk25 -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp $work/hello Hello"
         -n version25 "env MODELTALLY_JAVA=$jdk25 bin/modeltally --version"
         -n inspect25 "env MODELTALLY_JAVA=$jdk25 bin/modeltally inspect $model")
fi
hyperfine -N -w 3 -r "$runs" --style basic --export-json "$work/startup.json" "${cmds[@]}" >"$work/startup-hyperfine.txt" 2>&1 \
  || { cat "$work/startup-hyperfine.txt"; exit 1; }
rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
{
  echo "peak RSS: inspect $(rss bin/modeltally inspect "$model") KB, inspect --json $(rss bin/modeltally inspect --json "$model") KB${jdk25:+, inspect on JDK 25 $(MODELTALLY_JAVA=$jdk25 rss bin/modeltally inspect "$model") KB}, python $(rss "$python" "$work/onnx_count.py" "$model") KB"
} > "$work/startup-rss.txt"
python3 - "$work/startup.json" <<'PY'
import json, sys
r = {b["command"]: b for b in json.load(open(sys.argv[1]))["results"]}
def line(name):
    b = r[name]
    return f"{name:15s} median {b['median']*1000:7.1f} ms  mean {b['mean']*1000:7.1f} ± {b['stddev']*1000:5.1f} ms  min {b['min']*1000:7.1f} ms"
for name in r:
    print(line(name))
def ratio(a, b, what, target):
    q = r[a]["median"] / r[b]["median"]
    print(f"{what}: {q:.2f}x ({a} / {b}, medians; target {target})")
ratio("version17", "hello17", "--version vs bare JVM, default java", "<= 2")
ratio("python", "inspect17", "inspect VGG16 vs onnx.load + count, default java", ">= 5")
ratio("python", "inspect-json17", "inspect --json VGG16 vs onnx.load + count, default java", ">= 5")
if "version25" in r:
    ratio("version25", "hello25", "--version vs bare JVM, JDK 25 with AOT cache", "<= 2")
    ratio("version25", "hello17", "--version (JDK 25) vs bare JVM (default java)", "<= 2")
    ratio("python", "inspect25", "inspect VGG16 vs onnx.load + count, JDK 25 with AOT cache", ">= 5")
PY
cat "$work/startup-rss.txt"
