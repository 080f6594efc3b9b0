"""Writes ONNX fixtures laid out as exporters other than torch.onnx write them, in testdata/exporters/,
and their entries (keys "exporters/...") in testdata/expected.json.

- paddle2onnx: every weight in a Constant node (Conv W/B, BatchNormalization scale/bias/mean/var,
  MatMul + Add, Gemm), some reached through Identity/Cast/Transpose/Reshape/Unsqueeze, with int64
  Reshape shapes and float scalars that stay constants;
- spox (Silero VAD): the weights in Constant nodes inside the branches of an If decided by an input;
- "light" zoo (onnx-caffe2): weights made at run time by ConstantOfShape, a Gemm with its C bias and a
  per-channel affine Mul/Add whose operands are reached through Unsqueeze;
- the onnxruntime quantizer: one float model and quantize_dynamic / quantize_static QDQ and QOperator
  of it;
- an empty and a 1-element tensor used by many nodes (no shared-weight), beside a real shared one.

The expected figures come from the generator's own bookkeeping (it knows which tensors it made as
weights), independent of modeltally; every file is run by onnxruntime and its output shapes recorded.
Needs: numpy, onnx, onnxruntime (see setup-venv.sh). Run: $VENV/bin/python testdata/generate/exporter_fixtures.py
"""
from __future__ import annotations

import json
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "testdata" / "exporters"
EXPECTED = REPO / "testdata" / "expected.json"
PREFIX = "exporters/"
OPSET = 17
BITS = {TensorProto.FLOAT: 32, TensorProto.FLOAT16: 16, TensorProto.INT8: 8, TensorProto.UINT8: 8}
ENTRIES: dict[str, dict] = {}
RNG = np.random.default_rng(16)


class Book:
    """The generator's own count: every tensor it stores, and which of them it made as weights."""

    def __init__(self) -> None:
        self.params: dict[str, tuple[int, int, str, bool]] = {}  # name -> (elements, dtype, source, trainable)
        self.constants = 0
        self.synthesized = 0
        self.synthesized_tensors = 0
        self.quant = 0
        self.quant_tensors = 0

    def weight(self, name: str, t: TensorProto, source: str, trainable: bool = True) -> None:
        self.params[name] = (int(np.prod(t.dims)) if len(t.dims) else 1, t.data_type, source, trainable)

    def expected(self) -> dict:
        total = sum(e for e, _, _, _ in self.params.values())
        trainable = sum(e for e, _, _, tr in self.params.values() if tr)
        by_dtype: dict[str, int] = {}
        nbytes = 0
        by_source = {"initializer": 0, "constant_node": 0, "attribute": 0}
        for e, dt, src, _ in self.params.values():
            name = TensorProto.DataType.Name(dt)
            by_dtype[name] = by_dtype.get(name, 0) + e
            nbytes += math.ceil(e * BITS[dt] / 8)
            by_source[src] += e
        return {"total": total, "trainable": trainable, "non_trainable": total - trainable, "bytes": nbytes,
                "by_dtype": dict(sorted(by_dtype.items())), "by_source": by_source,
                "quantization": {"elements": self.quant, "tensors": self.quant_tensors},
                "synthesized": {"elements": self.synthesized, "tensors": self.synthesized_tensors}}


def const(book: Book | None, name: str, array: np.ndarray, *, weight: bool, trainable: bool = True) -> onnx.NodeProto:
    t = numpy_helper.from_array(array, name + "_value")
    if book is not None:
        if weight:
            book.weight(name, t, "constant_node", trainable)
        else:
            book.constants += int(array.size)
    return helper.make_node("Constant", [], [name], name=name + "_const", value=t)


def sparse_const(book: Book, name: str, dense: np.ndarray, keep: int) -> onnx.NodeProto:
    """A Constant whose value is a sparse_value: counted by its dense dims, as sparse initializers are."""
    flat = np.sort(RNG.choice(dense.size, size=keep, replace=False)).astype(np.int64)
    values = numpy_helper.from_array(dense.reshape(-1)[flat], name + "_values")
    indices = numpy_helper.from_array(flat, name + "_indices")
    book.params[name] = (int(dense.size), TensorProto.FLOAT, "constant_node", True)
    return helper.make_node("Constant", [], [name], name=name + "_const",
                            sparse_value=helper.make_sparse_tensor(values, indices, list(dense.shape)))


def f32(*shape) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def make_model(graph: onnx.GraphProto, producer: str, opset: int = OPSET) -> onnx.ModelProto:
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name=producer)
    m.ir_version = 8
    return m


def save(model: onnx.ModelProto, name: str) -> Path:
    path = OUT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.checker.check_model(model, full_check=True)
    onnx.save_model(model, str(path))
    return path


def run_ort(path: Path, feeds: dict) -> list:
    import onnxruntime as ort
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    return [{"name": n, "shape": list(v.shape)} for n, v in zip(names, sess.run(None, feeds))]


def record(path: Path, book: Book, outputs: list, description: str, findings: list[str],
           absent: list[str]) -> None:
    entry = {"format": "onnx", "parameters": book.expected(), "constants": {"elements": book.constants},
             "findings": sorted(findings), "absent_findings": sorted(absent), "outputs": outputs,
             "description": description}
    ENTRIES[PREFIX + path.relative_to(OUT).as_posix()] = entry
    p = entry["parameters"]
    print(f"{path.name:28s} params {p['total']:>9,d} {p['by_source']} quant {p['quantization']} "
          f"synth {p['synthesized']} constants {book.constants}")


# --------------------------------------------------------------------------------------------

def fx_paddle_cnn() -> None:
    """Conv -> BN -> Relu -> Conv -> GAP -> Reshape -> MatMul + Add -> Gemm, all weights Constant nodes."""
    b = Book()
    vi = helper.make_tensor_value_info
    nodes = [
        const(b, "conv1_w", f32(8, 3, 3, 3), weight=True),
        const(b, "conv1_b", f32(8), weight=True),
        helper.make_node("Conv", ["x", "conv1_w", "conv1_b"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        const(b, "bn_scale", f32(8), weight=True),
        const(b, "bn_bias", f32(8), weight=True),
        const(b, "bn_mean", f32(8), weight=True, trainable=False),
        const(b, "bn_var", np.abs(f32(8)) + 1, weight=True, trainable=False),
        helper.make_node("BatchNormalization", ["c1", "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["n1"],
                         name="bn1"),
        helper.make_node("Relu", ["n1"], ["r1"], name="relu1"),
        # a float16 kernel cast to float, through an Identity as exporters dedupe with
        const(b, "conv2_w16", f32(16, 8, 3, 3).astype(np.float16), weight=True),
        helper.make_node("Cast", ["conv2_w16"], ["conv2_w32"], name="conv2_w_cast", to=TensorProto.FLOAT),
        helper.make_node("Identity", ["conv2_w32"], ["conv2_w"], name="conv2_w_id"),
        const(b, "conv2_b", f32(16), weight=True),
        helper.make_node("Conv", ["r1", "conv2_w", "conv2_b"], ["c2"], name="conv2", strides=[2, 2]),
        # a float scalar multiplier (a constant, not a weight)
        const(b, "half", np.array(0.5, np.float32), weight=False),
        helper.make_node("Mul", ["c2", "half"], ["m2"], name="scale_half"),
        helper.make_node("GlobalAveragePool", ["m2"], ["g"], name="gap"),
        const(b, "flat_shape", np.array([1, 16], np.int64), weight=False),
        helper.make_node("Reshape", ["g", "flat_shape"], ["f"], name="flatten"),
        # fc1 weight stored transposed [out, in], re-viewed by a Transpose
        const(b, "fc1_wt", f32(12, 16), weight=True),
        helper.make_node("Transpose", ["fc1_wt"], ["fc1_w"], name="fc1_w_t", perm=[1, 0]),
        helper.make_node("MatMul", ["f", "fc1_w"], ["h"], name="fc1_matmul"),
        const(b, "fc1_b", f32(12), weight=True),
        helper.make_node("Add", ["h", "fc1_b"], ["h1"], name="fc1_add"),
        helper.make_node("Relu", ["h1"], ["h2"], name="relu2"),
        sparse_const(b, "fc2_w", f32(12, 5), keep=7),
        # the bias stored flat [5] and reshaped to [1, 5]
        const(b, "fc2_b_flat", f32(5), weight=True),
        const(b, "bias_shape", np.array([1, 5], np.int64), weight=False),
        helper.make_node("Reshape", ["fc2_b_flat", "bias_shape"], ["fc2_b"], name="fc2_b_reshape"),
        helper.make_node("Gemm", ["h2", "fc2_w", "fc2_b"], ["y"], name="fc2"),
    ]
    graph = helper.make_graph(nodes, "paddle_cnn", [vi("x", TensorProto.FLOAT, [1, 3, 16, 16])],
                              [vi("y", TensorProto.FLOAT, [1, 5])])
    path = save(make_model(graph, "PaddlePaddle"), "paddle_cnn.onnx")
    outs = run_ort(path, {"x": np.ones((1, 3, 16, 16), np.float32)})
    record(path, b, outs, "paddle2onnx layout: every weight a Constant node (Conv W/B, BN scale/bias/mean/var with "
           "mean/var non-trainable, a FLOAT16 kernel through Cast and Identity, a transposed MatMul weight, an Add "
           "bias, a Gemm weight as a sparse_value of 7 stored values counted by its dense dims [12, 5], a Gemm bias "
           "through Reshape); int64 Reshape shapes and a float scalar multiplier stay constants. "
           "onnx.helper, run by onnxruntime.", ["constant-node-weights"], ["shared-weight", "synthesized-weight"])


def fx_if_branches() -> None:
    """spox/Silero style: sr == 16000 picks a branch; each branch keeps its own weights in Constant nodes."""
    b = Book()
    vi = helper.make_tensor_value_info

    def branch(tag: str, hidden: int) -> onnx.GraphProto:
        nodes = [
            const(b, f"{tag}_w", f32(16, hidden), weight=True),
            helper.make_node("MatMul", ["x", f"{tag}_w"], [f"{tag}_h"], name=f"{tag}_matmul"),
            const(b, f"{tag}_b", f32(hidden), weight=True),
            helper.make_node("Add", [f"{tag}_h", f"{tag}_b"], [f"{tag}_a"], name=f"{tag}_add"),
            helper.make_node("Relu", [f"{tag}_a"], [f"{tag}_r"], name=f"{tag}_relu"),
            const(b, f"{tag}_out_w", f32(hidden, 4), weight=True),
            const(b, f"{tag}_out_b", f32(4), weight=True),
            const(b, f"{tag}_axes", np.array([0], np.int64), weight=False),
            helper.make_node("Unsqueeze", [f"{tag}_out_b", f"{tag}_axes"], [f"{tag}_out_b2"], name=f"{tag}_unsq"),
            helper.make_node("Gemm", [f"{tag}_r", f"{tag}_out_w", f"{tag}_out_b2"], [f"{tag}_y"], name=f"{tag}_gemm"),
        ]
        return helper.make_graph(nodes, f"{tag}_branch", [], [vi(f"{tag}_y", TensorProto.FLOAT, [1, 4])])

    nodes = [
        const(b, "sr16k", np.array(16000, np.int64), weight=False),
        helper.make_node("Equal", ["sr", "sr16k"], ["is16k"], name="is_16k"),
        helper.make_node("If", ["is16k"], ["y"], name="by_rate", then_branch=branch("k16", 24),
                         else_branch=branch("k8", 12)),
    ]
    graph = helper.make_graph(nodes, "silero_like", [vi("x", TensorProto.FLOAT, [1, 16]),
                                                     vi("sr", TensorProto.INT64, [])],
                              [vi("y", TensorProto.FLOAT, [1, 4])])
    path = save(make_model(graph, "spox"), "if_constants.onnx")
    outs = run_ort(path, {"x": np.ones((1, 16), np.float32), "sr": np.array(16000, np.int64)})
    outs8 = run_ort(path, {"x": np.ones((1, 16), np.float32), "sr": np.array(8000, np.int64)})
    assert outs == outs8
    record(path, b, outs, "spox / Silero VAD layout: an If on sr == 16000 whose branches keep their weights in "
           "Constant nodes (MatMul + Add, Gemm with its bias through Unsqueeze); both branches' weights are stored "
           "and counted. onnx.helper, run by onnxruntime at sr 16000 and 8000.", ["constant-node-weights"],
           ["synthesized-weight"])


def fx_light_gemm() -> None:
    """onnx-caffe2 "light" layout: weights made by ConstantOfShape from int64 shape initializers."""
    b = Book()
    vi = helper.make_tensor_value_info
    inits = []
    nodes = []

    def made(name: str, shape: list[int]) -> str:
        inits.append(numpy_helper.from_array(np.array(shape, np.int64), name + "__SHAPE"))
        b.constants += len(shape)
        nodes.append(helper.make_node("ConstantOfShape", [name + "__SHAPE"], [name], name=name + "_make",
                                      value=numpy_helper.from_array(np.array([0.01], np.float32))))
        b.synthesized += int(np.prod(shape))
        b.synthesized_tensors += 1
        return name

    nodes += [
        helper.make_node("Conv", ["x", made("conv_w", [6, 3, 3, 3]), made("conv_b", [6])], ["c"], name="conv"),
        helper.make_node("Unsqueeze", [made("affine_w", [6])], ["aw"], name="affine_w_unsq", axes=[1, 2]),
        helper.make_node("Mul", ["c", "aw"], ["cm"], name="affine_mul"),
        helper.make_node("Unsqueeze", [made("affine_b", [6])], ["ab"], name="affine_b_unsq", axes=[1, 2]),
        helper.make_node("Add", ["cm", "ab"], ["ca"], name="affine_add"),
        helper.make_node("Relu", ["ca"], ["r"], name="relu"),
        helper.make_node("Flatten", ["r"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", made("fc_w", [10, 6 * 6 * 6]), made("fc_b", [10])], ["y"], name="fc",
                         transB=1),
    ]
    graph = helper.make_graph(nodes, "light_gemm", [vi("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [vi("y", TensorProto.FLOAT, [1, 10])], initializer=inits)
    path = save(make_model(graph, "onnx-caffe2", 9), "light_gemm.onnx")
    outs = run_ort(path, {"x": np.ones((1, 3, 8, 8), np.float32)})
    record(path, b, outs, "onnx-caffe2 \"light\" layout: every weight made at run time by ConstantOfShape from an "
           "int64 shape initializer (Conv W/B, a per-channel affine Mul/Add through Unsqueeze, Gemm B and its C "
           f"bias): 0 stored parameters, {b.synthesized:,d} synthesized in {b.synthesized_tensors} weight inputs, "
           "one synthesized-weight finding. onnx.helper, run by onnxruntime.", ["synthesized-weight"], ["constant-node-weights"])


def fx_quantized() -> None:
    """One float model and the onnxruntime quantizer's three forms of it."""
    from onnxruntime.quantization import (CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic,
                                          quantize_static)
    vi = helper.make_tensor_value_info
    fb = Book()
    tensors = {"conv_w": f32(8, 3, 3, 3), "conv_b": f32(8), "fc_w": f32(8 * 6 * 6, 10), "fc_b": f32(10)}
    inits = []
    for k, v in tensors.items():
        t = numpy_helper.from_array(v, k)
        inits.append(t)
        fb.weight(k, t, "initializer")
    fb.constants += 2
    inits.append(numpy_helper.from_array(np.array([1, 8 * 6 * 6], np.int64), "flat"))
    nodes = [helper.make_node("Conv", ["x", "conv_w", "conv_b"], ["c"], name="conv"),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("Reshape", ["r", "flat"], ["f"], name="flatten"),
             helper.make_node("MatMul", ["f", "fc_w"], ["m"], name="fc"),
             helper.make_node("Add", ["m", "fc_b"], ["y"], name="fc_bias")]
    graph = helper.make_graph(nodes, "float_cnn", [vi("x", TensorProto.FLOAT, [1, 3, 8, 8])],
                              [vi("y", TensorProto.FLOAT, [1, 10])], initializer=inits)
    float_path = save(make_model(graph, "modeltally-fixtures", 13), "quant/float.onnx")
    feeds = {"x": np.ones((1, 3, 8, 8), np.float32)}
    float_total = fb.expected()["total"]
    record(float_path, fb, run_ort(float_path, feeds), f"the float original of the quant/ fixtures: Conv(3->8, 3x3) "
           f"-> Relu -> Reshape -> MatMul + Add = {float_total:,d} parameters. onnx.helper.", [], ["shared-weight"])

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.data = iter([{"x": RNG.standard_normal((1, 3, 8, 8)).astype(np.float32)} for _ in range(4)])

        def get_next(self):
            return next(self.data, None)

    with tempfile.TemporaryDirectory() as tmp:
        forms = {
            "dynamic": lambda dst: quantize_dynamic(str(float_path), dst, weight_type=QuantType.QInt8),
            "qdq": lambda dst: quantize_static(str(float_path), dst, Reader(), quant_format=QuantFormat.QDQ,
                                               weight_type=QuantType.QInt8),
            "qoperator": lambda dst: quantize_static(str(float_path), dst, Reader(),
                                                     quant_format=QuantFormat.QOperator, weight_type=QuantType.QInt8),
        }
        for form, quantize in forms.items():
            dst = str(Path(tmp) / f"{form}.onnx")
            quantize(dst)
            model = onnx.load(dst)
            path = save(model, f"quant/{form}.onnx")
            record(path, count_quantized(model), run_ort(path, feeds),
                   f"onnxruntime.quantization {form} of quant/float.onnx ({float_total:,d} float parameters): INT8 "
                   "weights, FLOAT scales and INT8/UINT8 zero points are parameters, the scales and zero points also "
                   "as parameters.quantization; INT32 biases are constants.", [], ["synthesized-weight"])


#: scale and zero-point inputs of the quantized ops (the onnx / com.microsoft schemas)
QUANT_INPUTS = {"QuantizeLinear": (1, 2), "DequantizeLinear": (1, 2), "QLinearConv": (1, 2, 4, 5, 6, 7),
                "QLinearMatMul": (1, 2, 4, 5, 6, 7), "MatMulInteger": (2, 3), "ConvInteger": (2, 3),
                "QGemm": (1, 2, 4, 5, 7, 8), "QLinearAdd": (1, 2, 4, 5, 6, 7), "QLinearMul": (1, 2, 4, 5, 6, 7)}
WEIGHT_DTYPES = {TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.INT8, TensorProto.UINT8}


def count_quantized(model: onnx.ModelProto) -> Book:
    """Initializers by the counting rule; scales and zero points found from the quantized ops' schemas."""
    b = Book()
    init = {t.name: t for t in model.graph.initializer}
    for t in model.graph.initializer:
        if t.data_type in WEIGHT_DTYPES:
            b.weight(t.name, t, "initializer")
        else:
            b.constants += int(np.prod(t.dims)) if len(t.dims) else 1
    quant = set()
    for n in model.graph.node:
        for i in QUANT_INPUTS.get(n.op_type, ()):
            if i < len(n.input) and n.input[i] in init and init[n.input[i]].data_type in WEIGHT_DTYPES:
                quant.add(n.input[i])
    # dynamic quantization multiplies the weight's scale into DynamicQuantizeLinear's scale with a Mul
    dynamic_scales = {n.output[1] for n in model.graph.node if n.op_type == "DynamicQuantizeLinear"}
    for n in model.graph.node:
        if n.op_type == "Mul" and any(i in dynamic_scales for i in n.input):
            quant.update(i for i in n.input if i in init and init[i].data_type in WEIGHT_DTYPES)
    for name in quant:
        b.quant += b.params[name][0]
    b.quant_tensors = len(quant)
    return b


def fx_shared_scalars() -> None:
    """A 1-element and an empty tensor read by many nodes (no shared-weight) and a real shared weight."""
    b = Book()
    vi = helper.make_tensor_value_info
    floor = numpy_helper.from_array(np.array([0.0], np.float32), "floor")
    empty = numpy_helper.from_array(np.zeros((1, 0), np.float32), "empty")
    shared = numpy_helper.from_array(f32(4, 4), "shared_w")
    for t in (floor, empty, shared):
        b.weight(t.name, t, "initializer")
    nodes = []
    prev = "x"
    for i in range(6):
        nodes.append(helper.make_node("Max", [prev, "floor"], [f"mx{i}"], name=f"max{i}"))
        nodes.append(helper.make_node("Concat", [f"mx{i}", "empty"], [f"cc{i}"], name=f"concat{i}", axis=1))
        prev = f"cc{i}"
    nodes.append(helper.make_node("MatMul", [prev, "shared_w"], ["h"], name="mm1"))
    nodes.append(helper.make_node("MatMul", ["h", "shared_w"], ["y"], name="mm2"))
    graph = helper.make_graph(nodes, "shared_scalars", [vi("x", TensorProto.FLOAT, [1, 4])],
                              [vi("y", TensorProto.FLOAT, [1, 4])], initializer=[floor, empty, shared])
    path = save(make_model(graph, "modeltally-fixtures"), "shared_scalars.onnx")
    record(path, b, run_ort(path, {"x": np.ones((1, 4), np.float32)}), "a 1-element tensor read by 6 Max nodes and "
           "an empty tensor read by 6 Concat nodes (no shared-weight for them) and a [4,4] weight read by two "
           "MatMuls (one shared-weight finding). onnx.helper, run by onnxruntime.", ["shared-weight"], [])


def write_expected() -> None:
    doc = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {"fixtures": {}}
    fixtures = {k: v for k, v in doc.get("fixtures", {}).items() if not k.startswith(PREFIX)}
    fixtures.update(ENTRIES)
    doc["fixtures"] = fixtures
    tmp = EXPECTED.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    tmp.replace(EXPECTED)


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    for fx in (fx_paddle_cnn, fx_if_branches, fx_light_gemm, fx_quantized, fx_shared_scalars):
        fx()
    write_expected()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
