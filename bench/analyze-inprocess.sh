#!/usr/bin/env bash
# Benchmark (issue 15): the in-process cost of one analysis. JMH (bench/jmh, JMH 1.37 from Maven
# Central) times a whole ModelTally.analyze(Path, Options) — open, probe, read, analyse — warm, with
# -prof gc for the bytes allocated per analysis, on VGG16 (553 MB of weights inline), GPT-2
# (testdata/compute/gpt2.onnx), Swin-T (testdata/compute/torchvision/swin_t.onnx.gz, unzipped) and the
# 6,136-node transformer TransformerOnnx generates (at input_ids=1x1024); then Python times onnx.load
# in-process on the same files (after one untimed load, median of N; load_external_data=False, as the
# GPT-2 and transformer files are layout-only — VGG16 holds its 553 MB inline), and the ratios are printed.
# Usage: bench/analyze-inprocess.sh [python-runs]   (PYTHON = python with onnx; JMH_OPTS adds JMH options)
set -euo pipefail
cd "$(dirname "$0")/.."
pyruns="${1:-10}"
work=bench/work
mkdir -p "$work"
python="${PYTHON:-/work/venv-fixtures/bin/python}"
[ -f target/modeltally.jar ] || mvn -B -q -DskipTests package
[ -d target/test-classes/dev/modeltally/bench ] || mvn -B -q test-compile
cp=target/test-classes:target/modeltally.jar
vgg="$work/vgg16-inline.onnx"
[ -f "$vgg" ] || java -Xmx3g -cp "$cp" dev.modeltally.bench.InlineOnnxWeights testdata/onnx/vgg16.onnx "$vgg"
transformer="$work/transformer-102.onnx"
[ -f "$transformer" ] || java -cp "$cp" dev.modeltally.bench.TransformerOnnx "$transformer" 102
swin="$work/swin_t.onnx"
[ -f "$swin" ] || gunzip -c testdata/compute/torchvision/swin_t.onnx.gz > "$swin"
gpt2=testdata/compute/gpt2.onnx
# the JMH module compiles against target/modeltally.jar; rebuild it when that jar changed
if [ ! -f bench/jmh/target/benchmarks.jar ] || [ target/modeltally.jar -nt bench/jmh/target/benchmarks.jar ]; then
  mvn -B -q -f bench/jmh/pom.xml package
fi
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); python: $("$python" -c 'import onnx, sys; print(sys.version.split()[0], "onnx", onnx.__version__)')"
java -cp bench/jmh/target/benchmarks.jar:target/modeltally.jar org.openjdk.jmh.Main AnalyzeBench \
  -p model="$vgg,$gpt2,$swin,$transformer@input_ids=1x1024" -prof gc -f 1 -wi 5 -w 1s -i 5 -r 1s \
  -jvmArgsAppend "-Xss4m -Xmx1g" -rf json -rff "$work/jmh-analyze.json" ${JMH_OPTS:-} > "$work/jmh-analyze.txt"
grep -E '^Benchmark|analyze( |:gc.alloc.rate.norm)' "$work/jmh-analyze.txt" | sed 's/AnalyzeBench.//'
cat > "$work/onnx_load_timing.py" <<'PY'
import json, statistics, sys, time
import onnx
runs = int(sys.argv[1])
out = {}
for path in sys.argv[2:]:
    onnx.load(path, load_external_data=False)  # untimed: page cache, imports
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        onnx.load(path, load_external_data=False)  # layout-only files: their external data is absent
        times.append(time.perf_counter() - start)
    out[path] = {"median": statistics.median(times), "min": min(times)}
print(json.dumps(out))
PY
"$python" "$work/onnx_load_timing.py" "$pyruns" "$vgg" "$gpt2" "$swin" "$transformer" > "$work/python-load.json"
python3 - "$work/jmh-analyze.json" "$work/python-load.json" <<'PY'
import json, sys
jmh = json.load(open(sys.argv[1]))
py = json.load(open(sys.argv[2]))
print(f"{'model':34s} {'analyze (JMH)':>16s} {'alloc/analysis':>15s} {'onnx.load (py)':>15s} {'ratio':>8s}")
for b in jmh:
    model = b["params"]["model"]
    path = model.split("@")[0]
    ms = b["primaryMetric"]["score"]
    err = b["primaryMetric"]["scoreError"]
    alloc = b["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
    p = py[path]["median"] * 1000
    print(f"{model.split('/')[-1]:34s} {ms:8.3f} ± {err:5.3f} ms {alloc / 1e6:11.2f} MB {p:12.1f} ms {p / ms:8.3g}x")
print("ratio = Python onnx.load median / modeltally analyze mean, both in-process and warm; target >= 100x on VGG16")
PY
