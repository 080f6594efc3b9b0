#!/usr/bin/env python3
"""Writes the ONNX fixtures in testdata/onnx/ and their entries in testdata/expected.json.

Models come from the real exporters: torch.onnx.export (the TorchScript exporter, dynamo=False,
opset 17), onnx.helper for graph features torch does not emit (tied weights, If/Loop subgraphs,
sparse initializers, unused initializers) and onnxruntime.quantization for the int8 models.

The expected counts are computed here with the onnx library alone, from the saved file loaded with
onnx.load(path, load_external_data=False), under the counting rule of testdata/README.md /
docs/counting.md:

  parameters    elements of every initializer (main graph and every subgraph reached through
                GRAPH / GRAPHS node attributes; sparse initializers by their dense dims) whose
                dtype is floating point or a low-bit integer (INT8, UINT8, INT4, UINT4, INT2, UINT2)
  constants     elements of every other initializer plus the value of every Constant node
  non_trainable parameter elements of initializers used as input 3 or 4 of BatchNormalization
  bytes         sum over parameter tensors of ceil(elements * bits / 8)

"framework" records torch's own figure, sum(p.numel() for p in model.parameters()), where a torch
model exists. "findings" lists the finding codes the file must produce (derived from the file:
external data whose file is absent, initializers nobody uses, parameters used by several nodes);
"absent_findings" the ones it must not.

Big models (VGG16, UNet, the MNIST MLP) are *layout-only*: saved with every initializer as
external data, and only the graph file is kept, so their data file is absent (finding
external-data-missing). Counts come from the tensor metadata, which is complete.

Determinism: torch.manual_seed / numpy seeds are fixed and the output folder is emptied first
(onnx appends to an existing external data file). Running the script twice gives identical files.

Run:  /work/venv-fixtures/bin/python testdata/generate/onnx_fixtures.py
      (make the venv with testdata/generate/setup-venv.sh)
"""

from __future__ import annotations

import io
import json
import math
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "testdata" / "onnx"
EXPECTED = REPO / "testdata" / "expected.json"

SEED = 0
OPSET = 17
IR_VERSION = 8  # the IR version that goes with opset 17; readable by every onnxruntime in use
TOTAL_BUDGET = 2 * 1024 * 1024  # all committed ONNX fixtures together stay under ~2 MB

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", category=UserWarning)
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)

# --------------------------------------------------------------------------------------------
# counting (onnx library only)
# --------------------------------------------------------------------------------------------

#: bits per element of the dtypes that are parameters under the counting rule
PARAM_BITS = {
    "FLOAT": 32, "FLOAT16": 16, "BFLOAT16": 16, "DOUBLE": 64,
    "FLOAT8E4M3FN": 8, "FLOAT8E4M3FNUZ": 8, "FLOAT8E5M2": 8, "FLOAT8E5M2FNUZ": 8, "FLOAT8E8M0": 8,
    "FLOAT4E2M1": 4,
    "INT8": 8, "UINT8": 8, "INT4": 4, "UINT4": 4, "INT2": 2, "UINT2": 2,
}

#: ONNX finding codes whose presence this script can decide from the file alone
DECIDABLE_CODES = [
    "external-data-missing", "external-data-size-mismatch", "external-data-outside-folder",
    "duplicate-initializer", "unused-initializer", "shared-weight", "tensor-without-data",
]


def dtype_name(code: int) -> str:
    return TensorProto.DataType.Name(code)


def n_elements(dims) -> int:
    n = 1
    for d in dims:
        n *= int(d)
    return n


def has_inline_data(t: TensorProto) -> bool:
    return bool(
        t.raw_data or t.float_data or t.int32_data or t.string_data or t.int64_data
        or t.double_data or t.uint64_data
    )


#: inputs the op rules know as weights; the elementwise ops' operands only with more than one element
WEIGHT_INPUTS = {
    "Conv": (1, 2), "ConvTranspose": (1, 2), "Gemm": (1, 2), "MatMul": (0, 1), "BatchNormalization": (1, 2, 3, 4),
    "InstanceNormalization": (1, 2), "LayerNormalization": (1, 2), "LSTM": (1, 2, 3, 7), "GRU": (1, 2, 3),
    "RNN": (1, 2, 3), "PRelu": (1,), "Add": (0, 1), "Sub": (0, 1), "Mul": (0, 1), "Div": (0, 1),
}
ELEMENTWISE = {"Add", "Sub", "Mul", "Div"}


def count_onnx(path: Path) -> dict:
    """The expected figures of one ONNX file, computed with the onnx library (no weight bytes)."""
    model = onnx.load(str(path), load_external_data=False)
    folder = path.parent

    tensors = []          # one record per stored initializer / sparse initializer
    constant_nodes = []   # element count of every Constant node's value that is not a weight
    constant_values = []  # (output name, dtype, elements) of Constant nodes' tensor values
    weight_reads = set()  # names read at an input the op knows as a weight (docs/counting.md, rule 1)
    elementwise_reads = set()
    node_ids = iter(range(1 << 62))

    def walk(graph: onnx.GraphProto, outer: list[dict]) -> None:
        scope: dict[str, dict] = {}
        for t in graph.initializer:
            rec = {"name": t.name, "dtype": dtype_name(t.data_type), "elements": n_elements(t.dims),
                   "users": set(), "bn_stat": False, "graph_output": False, "tensor": t, "sparse": False}
            if t.name in scope:
                rec["duplicate"] = True
            tensors.append(rec)
            scope.setdefault(t.name, rec)
        for sp in graph.sparse_initializer:
            rec = {"name": sp.values.name, "dtype": dtype_name(sp.values.data_type),
                   "elements": n_elements(sp.dims), "users": set(), "bn_stat": False,
                   "graph_output": False, "tensor": sp.values, "sparse": True}
            if sp.values.name in scope:
                rec["duplicate"] = True
            tensors.append(rec)
            scope.setdefault(sp.values.name, rec)
        chain = [scope] + outer

        def lookup(name: str):
            for s in chain:
                if name in s:
                    return s[name]
            return None

        for o in graph.output:
            rec = lookup(o.name)
            if rec is not None:
                rec["graph_output"] = True
        for node in graph.node:
            nid = next(node_ids)
            for i, name in enumerate(node.input):
                if not name:
                    continue
                if i in WEIGHT_INPUTS.get(node.op_type, ()):
                    weight_reads.add(name)
                    if node.op_type in ELEMENTWISE:
                        elementwise_reads.add(name)
                rec = lookup(name)
                if rec is None:
                    continue
                rec["users"].add(nid)
                if i in (3, 4) and node.op_type == "BatchNormalization" and node.domain in ("", "ai.onnx"):
                    rec["bn_stat"] = True
            if node.op_type == "Constant" and node.domain in ("", "ai.onnx"):
                for a in node.attribute:
                    if a.name == "value":
                        constant_values.append((node.output[0], dtype_name(a.t.data_type), n_elements(a.t.dims)))
                    elif a.name == "sparse_value":
                        constant_values.append((node.output[0], dtype_name(a.sparse_tensor.values.data_type),
                                                n_elements(a.sparse_tensor.dims)))
                    elif a.name in ("value_float", "value_int", "value_string"):
                        constant_nodes.append(1)
                    elif a.name == "value_floats":
                        constant_nodes.append(len(a.floats))
                    elif a.name == "value_ints":
                        constant_nodes.append(len(a.ints))
                    elif a.name == "value_strings":
                        constant_nodes.append(len(a.strings))
            # subgraphs see the enclosing scopes; their nodes use outer tensors directly
            for a in node.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    walk(a.g, chain)
                elif a.type == onnx.AttributeProto.GRAPHS:
                    for g in a.graphs:
                        walk(g, chain)

    walk(model.graph, [])

    total = trainable = non_trainable = nbytes = constants = 0
    by_dtype: dict[str, int] = {}
    findings: set[str] = set()
    data_files: dict[str, int] = {}  # location -> bytes the tensors need
    for rec in tensors:
        t = rec["tensor"]
        if rec["dtype"] in PARAM_BITS:
            n = rec["elements"]
            total += n
            if rec["bn_stat"]:
                non_trainable += n
            else:
                trainable += n
            nbytes += math.ceil(n * PARAM_BITS[rec["dtype"]] / 8)
            by_dtype[rec["dtype"]] = by_dtype.get(rec["dtype"], 0) + n
            if len(rec["users"]) > 1 and rec["elements"] > 1:
                findings.add("shared-weight")
        else:
            constants += rec["elements"]
        if rec.get("duplicate"):
            findings.add("duplicate-initializer")
        if not rec["users"] and not rec["graph_output"]:
            findings.add("unused-initializer")
        if t.data_location == TensorProto.EXTERNAL:
            info = {e.key: e.value for e in t.external_data}
            loc = info["location"]
            if os.path.isabs(loc) or ".." in Path(loc).parts:
                findings.add("external-data-outside-folder")
                continue
            end = int(info.get("offset", 0)) + int(info.get("length", 0))
            data_files[loc] = max(data_files.get(loc, 0), end)
        elif rec["elements"] > 0 and not has_inline_data(t):
            findings.add("tensor-without-data")
    for loc, need in data_files.items():
        f = folder / loc
        if not f.exists():
            findings.add("external-data-missing")
        elif f.stat().st_size < need:
            findings.add("external-data-size-mismatch")
    constants += sum(constant_nodes)
    # a Constant node's float/low-bit tensor read directly as a weight is a parameter (rule 1;
    # the fixtures here read such weights directly, exporter_fixtures.py covers the indirect ways)
    for name, dtype, n in constant_values:
        if dtype in PARAM_BITS and name in weight_reads and (n > 1 or name not in elementwise_reads):
            total += n
            trainable += n
            nbytes += math.ceil(n * PARAM_BITS[dtype] / 8)
            by_dtype[dtype] = by_dtype.get(dtype, 0) + n
        else:
            constants += n

    def values(vis, exclude=()):
        out = []
        for vi in vis:
            if vi.name in exclude:
                continue
            dims = []
            for d in vi.type.tensor_type.shape.dim:
                if d.HasField("dim_value"):
                    dims.append(int(d.dim_value))
                elif d.HasField("dim_param"):
                    dims.append(d.dim_param)
                else:
                    dims.append(None)
            out.append({"name": vi.name, "shape": dims})
        return out

    init_names = {t.name for t in model.graph.initializer} | {
        sp.values.name for sp in model.graph.sparse_initializer}
    return {
        "format": "onnx",
        "parameters": {"total": total, "trainable": trainable, "non_trainable": non_trainable,
                       "bytes": nbytes, "by_dtype": dict(sorted(by_dtype.items()))},
        "constants": {"elements": constants},
        "findings": sorted(findings),
        "absent_findings": [c for c in DECIDABLE_CODES if c not in findings],
        "inputs": values(model.graph.input, init_names),
        "outputs": values(model.graph.output),
    }


# --------------------------------------------------------------------------------------------
# saving
# --------------------------------------------------------------------------------------------

ENTRIES: dict[str, dict] = {}


def rel(path: Path) -> str:
    return path.relative_to(OUT.parent).as_posix()


def torch_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def torch_framework(model: nn.Module, note: str | None = None) -> dict:
    return {"name": f"torch {torch.__version__}", "count": torch_count(model),
            "note": note or "sum(p.numel() for p in model.parameters())"}


def export(model: nn.Module, args: tuple, *, input_names=("input",), output_names=("output",),
           **kwargs) -> onnx.ModelProto:
    """torch.onnx.export (TorchScript exporter) into memory, returned as a ModelProto."""
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(model, args, buf, dynamo=False, opset_version=OPSET,
                          input_names=list(input_names), output_names=list(output_names), **kwargs)
    return onnx.load_from_string(buf.getvalue())


def save_inline(proto: onnx.ModelProto, path: Path, *, full_check: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.checker.check_model(proto, full_check=full_check)
    onnx.save_model(proto, str(path))


def save_external(proto: onnx.ModelProto, path: Path, *, keep_data: bool) -> None:
    """Every tensor as external data in <name>.data (size_threshold=0). With keep_data=False the
    model is saved in a temporary folder and only the graph file is copied: layout-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.checker.check_model(proto)
    location = path.name + ".data"
    if keep_data:
        for f in (path, path.parent / location):
            if f.exists():
                f.unlink()  # onnx appends to an existing data file
        onnx.save_model(proto, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=location, size_threshold=0)
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp) / path.name
        onnx.save_model(proto, str(tmp_path), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=location, size_threshold=0)
        onnx.checker.check_model(str(tmp_path))  # the full model, data present, is valid
        shutil.copyfile(tmp_path, path)


def run_ort(path: Path, feeds: dict) -> list:
    import onnxruntime as ort
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def record(path: Path, description: str, framework: dict | None = None, *,
           expect_total: int | None = None) -> dict:
    entry = count_onnx(path)
    if framework is not None:
        entry["framework"] = framework
    entry["description"] = description
    if expect_total is not None:
        assert entry["parameters"]["total"] == expect_total, (path.name, entry["parameters"], expect_total)
    ENTRIES[rel(path)] = entry
    p = entry["parameters"]
    print(f"{rel(path):34s} params {p['total']:>12,d}  trainable {p['trainable']:>12,d}  "
          f"non-trainable {p['non_trainable']:>6,d}  constants {entry['constants']['elements']:>6,d}  "
          f"{p['by_dtype']}  findings {entry['findings']}")
    return entry


def seed(offset: int = 0) -> np.random.Generator:
    torch.manual_seed(SEED + offset)
    np.random.seed(SEED + offset)
    return np.random.default_rng(SEED + offset)


# --------------------------------------------------------------------------------------------
# torch models
# --------------------------------------------------------------------------------------------

class CnnSeed(nn.Module):
    """Conv2d(3,16,2) on 224x224x3 -> ReLU -> MaxPool(2) -> global average pool -> Linear(16,133)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 2)
        self.pool = nn.MaxPool2d(2)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(16, 133)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        return self.fc(torch.flatten(self.gap(x), 1))


class MnistMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2),
            nn.Linear(512, 10))

    def forward(self, x):
        return self.net(x)


class TinyCnn(nn.Module):
    """Conv(3->c, 3x3) -> ReLU -> global average pool -> Linear(c, 10)."""

    def __init__(self, c: int = 8):
        super().__init__()
        self.conv = nn.Conv2d(3, c, 3, padding=1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.gap(torch.relu(self.conv(x))), 1))


def double_conv(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """UNet, base 32 channels, 1 input channel, 2 classes, no BatchNormalization."""

    def __init__(self, in_ch: int = 1, classes: int = 2, base: int = 32):
        super().__init__()
        chs = [base, base * 2, base * 4, base * 8]          # 32 64 128 256
        self.downs = nn.ModuleList()
        c = in_ch
        for ch in chs:
            self.downs.append(double_conv(c, ch))
            c = ch
        self.pool = nn.MaxPool2d(2)
        self.bottleneck = double_conv(chs[-1], base * 16)   # 512
        self.ups = nn.ModuleList()
        self.up_convs = nn.ModuleList()
        c = base * 16
        for ch in reversed(chs):
            self.ups.append(nn.ConvTranspose2d(c, ch, kernel_size=2, stride=2))
            self.up_convs.append(double_conv(ch * 2, ch))
            c = ch
        self.head = nn.Conv2d(base, classes, 1)

    def forward(self, x):
        skips = []
        for down in self.downs:
            x = down(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottleneck(x)
        for up, conv, skip in zip(self.ups, self.up_convs, reversed(skips)):
            x = conv(torch.cat([up(x), skip], dim=1))
        return self.head(x)


VGG16_CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


class Vgg16(nn.Module):
    """torchvision.models.vgg16(weights=None), layer for layer and name for name (configuration D:
    features.N conv/ReLU/MaxPool, avgpool AdaptiveAvgPool2d((7, 7)), classifier.N)."""

    def __init__(self, num_classes: int = 1000):
        super().__init__()
        layers: list[nn.Module] = []
        c = 3
        for v in VGG16_CFG:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [nn.Conv2d(c, v, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                c = v
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=0.5),
            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=0.5),
            nn.Linear(4096, num_classes))

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def vgg16_model() -> tuple[nn.Module, str]:
    """The VGG16 to export. torchvision's own model is used when torchvision imports; the CPU torch
    wheel of the offline mirror has no matching torchvision build (its _C extension needs the CUDA
    libtorch), and then the identical in-script definition above is used. Either way every bias
    gets torch's default random init: torchvision initialises biases to 0, and the TorchScript
    exporter merges initializers with equal values, which would store the zero biases once."""
    try:
        import torchvision  # noqa: F401
        m = torchvision.models.vgg16(weights=None)
        origin = f"torchvision {torchvision.__version__} models.vgg16(weights=None)"
        mine = Vgg16()
        assert [(k, v.shape) for k, v in m.state_dict().items()] == \
            [(k, v.shape) for k, v in mine.state_dict().items()]
    except (ImportError, RuntimeError, OSError):
        m = Vgg16()
        origin = "Vgg16 in this script (torchvision.models.vgg16 layout; torchvision not importable)"
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, (nn.Conv2d, nn.Linear)):
                bound = 1 / math.sqrt(mod.weight[0].numel())
                mod.bias.uniform_(-bound, bound)
    return m, origin


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------

def fx_cnn_seed() -> None:
    seed(1)
    m = CnnSeed().eval()
    assert torch_count(m) == 2469
    path = OUT / "cnn_seed.onnx"
    save_inline(export(m, (torch.randn(1, 3, 224, 224),)), path)
    run_ort(path, {"input": np.zeros((1, 3, 224, 224), np.float32)})
    record(path, "Conv2d(3,16,2x2) on 1x3x224x224 -> ReLU -> MaxPool2d(2) -> global average pool -> "
                 "Linear(16,133): 208 + 2,261 = 2,469. torch.onnx.export, weights inline.",
           torch_framework(m), expect_total=2469)


def fx_mlp_mnist() -> None:
    seed(2)
    m = MnistMlp().eval()
    # 401,920 + 262,656 + 5,130 = 669,706. reference-counts.md lists 567,434 for this model, but its
    # own breakdown adds up to 669,706 (as Keras reports too: keras/mnist_mlp.*).
    assert torch_count(m) == 669706
    path = OUT / "mlp_mnist.onnx"
    save_external(export(m, (torch.randn(1, 784),)), path, keep_data=False)
    record(path, "MNIST MLP 784 -> 512 -> 512 -> 10 with ReLU and Dropout: 401,920 + 262,656 + 5,130 "
                 "= 669,706 (the 567,434 in reference-counts.md does not match this architecture). "
                 "Layout-only: initializers as external data (mlp_mnist.onnx.data), data file absent.",
           torch_framework(m), expect_total=669706)


def fx_tiny_mlp() -> None:
    seed(3)
    m = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4)).eval()
    path = OUT / "tiny_mlp.onnx"
    save_inline(export(m, (torch.randn(1, 8),)), path)
    run_ort(path, {"input": np.zeros((1, 8), np.float32)})
    record(path, "Linear(8,16) -> ReLU -> Linear(16,4): 144 + 68 = 212. Weights inline.",
           torch_framework(m), expect_total=212)


def make_model(graph: onnx.GraphProto) -> onnx.ModelProto:
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                          producer_name="modeltally-fixtures", producer_version="1")
    m.ir_version = IR_VERSION
    return m


def f32(rng: np.random.Generator, *shape) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


def fx_tied_weights() -> None:
    rng = seed(4)
    vocab, dim, seq = 100, 16, 5
    inits = [
        numpy_helper.from_array(f32(rng, vocab, dim) * 0.02, "embedding"),
        numpy_helper.from_array(np.ones(dim, np.float32), "ln_scale"),
        numpy_helper.from_array(np.zeros(dim, np.float32), "ln_bias"),
        numpy_helper.from_array(f32(rng, vocab) * 0.01, "lm_bias"),
    ]
    nodes = [
        helper.make_node("Gather", ["embedding", "ids"], ["tok"], name="embed", axis=0),
        helper.make_node("LayerNormalization", ["tok", "ln_scale", "ln_bias"], ["h"], name="ln", axis=-1),
        helper.make_node("Transpose", ["embedding"], ["embedding_t"], name="tie", perm=[1, 0]),
        helper.make_node("MatMul", ["h", "embedding_t"], ["logits_nb"], name="lm_head"),
        helper.make_node("Add", ["logits_nb", "lm_bias"], ["logits"], name="lm_bias_add"),
    ]
    graph = helper.make_graph(
        nodes, "tied_weights",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [1, seq])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, seq, vocab])],
        initializer=inits)
    path = OUT / "tied_weights.onnx"
    save_inline(make_model(graph), path)
    run_ort(path, {"ids": np.arange(seq, dtype=np.int64).reshape(1, seq)})
    record(path, "Token embedding 100x16 tied to the output projection (GPT-2 style): one initializer "
                 "used by Gather and by Transpose -> MatMul; stored once, counted once (1,600), plus "
                 "LayerNormalization 2x16 and output bias 100 = 1,732. onnx.helper.",
           expect_total=1732)


def fx_subgraph_if() -> None:
    rng = seed(5)
    vi = helper.make_tensor_value_info
    # inner If, inside the else branch: each branch has its own [3] initializer
    inner_then = helper.make_graph(
        [helper.make_node("Mul", ["e", "inner_then_scale"], ["inner_then_y"])], "inner_then", [],
        [vi("inner_then_y", TensorProto.FLOAT, [1, 3])],
        initializer=[numpy_helper.from_array(f32(rng, 3), "inner_then_scale")])
    inner_else = helper.make_graph(
        [helper.make_node("Add", ["e", "inner_else_shift"], ["inner_else_y"])], "inner_else", [],
        [vi("inner_else_y", TensorProto.FLOAT, [1, 3])],
        initializer=[numpy_helper.from_array(f32(rng, 3), "inner_else_shift")])
    then_g = helper.make_graph(
        [helper.make_node("MatMul", ["h", "then_w"], ["t"]),
         helper.make_node("Add", ["t", "shared_b"], ["then_y"], name="then_add_shared")],
        "then_branch", [], [vi("then_y", TensorProto.FLOAT, [1, 3])],
        initializer=[numpy_helper.from_array(f32(rng, 4, 3), "then_w")])
    else_g = helper.make_graph(
        [helper.make_node("MatMul", ["h", "else_w"], ["e"]),
         helper.make_node("If", ["use_inner"], ["inner_y"], name="inner_if",
                          then_branch=inner_then, else_branch=inner_else),
         helper.make_node("Add", ["inner_y", "shared_b"], ["else_y"], name="else_add_shared")],
        "else_branch", [], [vi("else_y", TensorProto.FLOAT, [1, 3])],
        initializer=[numpy_helper.from_array(f32(rng, 4, 3), "else_w")])
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "w0", "b0"], ["g"], name="stem"),
         helper.make_node("Relu", ["g"], ["h"]),
         helper.make_node("If", ["use_then"], ["y"], name="branch", then_branch=then_g, else_branch=else_g)],
        "subgraph_if",
        [vi("x", TensorProto.FLOAT, [1, 4]), vi("use_then", TensorProto.BOOL, []),
         vi("use_inner", TensorProto.BOOL, [])],
        [vi("y", TensorProto.FLOAT, [1, 3])],
        initializer=[numpy_helper.from_array(f32(rng, 4, 4), "w0"),
                     numpy_helper.from_array(f32(rng, 4), "b0"),
                     numpy_helper.from_array(f32(rng, 3), "shared_b")])
    path = OUT / "subgraph_if.onnx"
    save_inline(make_model(graph), path)
    for a in (True, False):
        for b in (True, False):
            run_ort(path, {"x": np.ones((1, 4), np.float32), "use_then": np.array(a), "use_inner": np.array(b)})
    record(path, "If whose branches hold their own initializers, with a nested If (depth 2) in the "
                 "else branch. Main graph Gemm 4x4 + 4 and shared_b[3] (used from both branches: "
                 "shared-weight); then: [4,3]; else: [4,3]; inner then/else: [3] each. 53 parameters. "
                 "onnx.helper.", expect_total=53)


def fx_subgraph_loop() -> None:
    rng = seed(6)
    vi = helper.make_tensor_value_info
    body = helper.make_graph(
        [helper.make_node("Constant", [], ["half"], value=numpy_helper.from_array(
            np.full(4, 0.5, np.float32), "half_value")),
         helper.make_node("MatMul", ["h_in", "body_w"], ["m"]),
         helper.make_node("Add", ["m", "body_b"], ["a"]),
         helper.make_node("Tanh", ["a"], ["t"]),
         helper.make_node("Mul", ["t", "half"], ["h_out"]),
         helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Identity", ["h_out"], ["h_scan"])],
        "loop_body",
        [vi("iter", TensorProto.INT64, []), vi("cond_in", TensorProto.BOOL, []),
         vi("h_in", TensorProto.FLOAT, [1, 4])],
        [vi("cond_out", TensorProto.BOOL, []), vi("h_out", TensorProto.FLOAT, [1, 4]),
         vi("h_scan", TensorProto.FLOAT, [1, 4])],
        initializer=[numpy_helper.from_array(f32(rng, 4, 4), "body_w"),
                     numpy_helper.from_array(f32(rng, 4), "body_b")])
    graph = helper.make_graph(
        [helper.make_node("Loop", ["trip_count", "keep_going", "h0"], ["h_final", "h_all"],
                          name="recurrence", body=body)],
        "subgraph_loop",
        [vi("h0", TensorProto.FLOAT, [1, 4])],
        [vi("h_final", TensorProto.FLOAT, [1, 4]), vi("h_all", TensorProto.FLOAT, [3, 1, 4])],
        initializer=[numpy_helper.from_array(np.array(3, np.int64), "trip_count"),
                     numpy_helper.from_array(np.array(True), "keep_going")])
    path = OUT / "subgraph_loop.onnx"
    save_inline(make_model(graph), path)
    out = run_ort(path, {"h0": np.ones((1, 4), np.float32)})
    assert out[1].shape == (3, 1, 4)
    record(path, "Loop (3 iterations) whose body holds its own initializers W[4,4] + b[4] = 20 "
                 "parameters and a Constant node float[4] that scales the activation (an elementwise "
                 "operand of 4 elements: a weight, 24 parameters); the trip count (INT64) and "
                 "condition (BOOL) initializers of the main graph are constants: 1 + 1 = 2. "
                 "onnx.helper.", expect_total=24)


def fx_sparse_init() -> None:
    rng = seed(7)
    rows, cols, nnz = 64, 32, 6
    flat = np.sort(rng.choice(rows * cols, size=nnz, replace=False)).astype(np.int64)
    values = numpy_helper.from_array(f32(rng, nnz), "sparse_w")
    indices = numpy_helper.from_array(flat, "sparse_w_indices")
    sparse = helper.make_sparse_tensor(values, indices, [rows, cols])
    vi = helper.make_tensor_value_info
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "sparse_w"], ["m"], name="sparse_matmul"),
         helper.make_node("Add", ["m", "bias"], ["a"], name="bias_add"),
         helper.make_node("Reshape", ["a", "target_shape"], ["y"], name="reshape")],
        "sparse_init",
        [vi("x", TensorProto.FLOAT, [1, rows])],
        [vi("y", TensorProto.FLOAT, [1, 4, 8])],
        initializer=[numpy_helper.from_array(f32(rng, cols), "bias"),
                     numpy_helper.from_array(np.array([1, 4, 8], np.int64), "target_shape"),
                     numpy_helper.from_array(f32(rng, cols), "unused_bias")],
        sparse_initializer=[sparse])
    path = OUT / "sparse_init.onnx"
    # onnx shape inference types a sparse initializer as sparse_tensor, which MatMul does not take;
    # onnxruntime densifies sparse initializers at load and runs the model (checked below).
    save_inline(make_model(graph), path, full_check=False)
    run_ort(path, {"x": np.ones((1, rows), np.float32)})
    record(path, "sparse_initializer of dense dims 64x32 with 6 stored nonzeros, counted by its dense "
                 "dims (2,048), + bias[32] + an initializer no node uses, unused_bias[32] "
                 "(unused-initializer) = 2,112 parameters; the INT64 Reshape shape [3] is a constant. "
                 "onnx.helper.", expect_total=2112)


def fx_external() -> None:
    seed(8)
    m = TinyCnn(8).eval()
    proto = export(m, (torch.randn(1, 3, 16, 16),))
    present = OUT / "external_data" / "model.onnx"
    missing = OUT / "external_missing" / "model.onnx"
    save_external(onnx.ModelProto.FromString(proto.SerializeToString()), present, keep_data=True)
    save_external(onnx.ModelProto.FromString(proto.SerializeToString()), missing, keep_data=False)
    truncated = OUT / "external_truncated" / "model.onnx"
    save_external(onnx.ModelProto.FromString(proto.SerializeToString()), truncated, keep_data=True)
    tdata = truncated.parent / "model.onnx.data"
    tdata.write_bytes(tdata.read_bytes()[: tdata.stat().st_size // 2])
    out = run_ort(present, {"input": np.ones((1, 3, 16, 16), np.float32)})
    want = m(torch.ones(1, 3, 16, 16)).detach().numpy()
    assert np.allclose(out[0], want, atol=1e-5)
    data = present.parent / "model.onnx.data"
    assert data.stat().st_size < 50 * 1024
    record(present, "Conv(3->8, 3x3, pad 1) -> ReLU -> global average pool -> Linear(8,10): 224 + 90 "
                    "= 314. Every tensor as external data (size_threshold=0) in model.onnx.data, "
                    "which is present.", torch_framework(m), expect_total=314)
    record(missing, "The same model as external_data/model.onnx, its data file model.onnx.data "
                    "absent: the counts are identical, external-data-missing is reported.",
           torch_framework(m), expect_total=314)
    record(truncated, "The same model as external_data/model.onnx, its data file model.onnx.data cut "
                      "to half its length: the counts are identical, external-data-size-mismatch is "
                      "reported.", torch_framework(m), expect_total=314)


def fx_fp16() -> None:
    seed(9)
    m = TinyCnn(8).eval().half()
    path = OUT / "fp16.onnx"
    save_inline(export(m, (torch.randn(1, 3, 32, 32).half(),)), path)
    record(path, "TinyCnn Conv(3->8, 3x3) -> ReLU -> GAP -> Linear(8,10) converted with .half() "
                 "and exported in float16: 314 FLOAT16 parameters, 628 bytes.",
           torch_framework(m), expect_total=314)


class CalibReader:
    """A few random calibration batches for onnxruntime.quantization.quantize_static."""

    def __init__(self, name: str, shape, n: int = 4, offset: int = 0):
        rng = np.random.default_rng(SEED + 100 + offset)
        self.batches = iter([{name: rng.standard_normal(shape).astype(np.float32)} for _ in range(n)])

    def get_next(self):
        return next(self.batches, None)

    def rewind(self):  # pragma: no cover - not used by MinMax
        pass


class QuantCnn(nn.Module):
    """Conv(3->8, 3x3) -> ReLU -> Conv(8->8, 3x3, stride 2) -> ReLU -> Flatten -> Linear(8*7*7, 10)."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3)
        self.c2 = nn.Conv2d(8, 8, 3, stride=2)
        self.fc = nn.Linear(8 * 7 * 7, 10)

    def forward(self, x):
        x = torch.relu(self.c2(torch.relu(self.c1(x))))
        return self.fc(torch.flatten(x, 1))


def fx_quantized() -> None:
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType, quantize_dynamic,
                                          quantize_static)
    seed(10)
    m = QuantCnn().eval()
    shape = (1, 3, 18, 18)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        onnx.save_model(export(m, (torch.randn(*shape),)), str(fp32))
        for name, fmt, desc in [
            ("int8_quant.onnx", QuantFormat.QOperator, "static QOperator quantization"),
            ("int8_qdq.onnx", QuantFormat.QDQ,
             "static QDQ quantization (QuantizeLinear/DequantizeLinear pairs around float ops, INT32 "
             "biases with INT32 zero points)"),
        ]:
            path = OUT / name
            quantize_static(str(fp32), str(path), CalibReader("input", shape), quant_format=fmt,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                            per_channel=False, calibrate_method=CalibrationMethod.MinMax)
            proto = onnx.load(str(path))
            onnx.checker.check_model(proto)
            run_ort(path, {"input": np.ones(shape, np.float32)})
            ops = sorted({n.op_type for n in proto.graph.node})
            record(path, f"QuantCnn Conv(3->8, 3x3) -> ReLU -> Conv(8->8, 3x3, s2) -> ReLU -> Linear(392,10) "
                         f"({torch_count(m):,d} float parameters in torch) after onnxruntime {desc}, "
                         "activations UINT8, weights INT8 per tensor; ops "
                         f"{', '.join(ops)}. Counting rule applied literally: INT8 weights, INT8/UINT8 "
                         "zero points and FLOAT scales are parameters, INT32 biases are constants. "
                         "Scales and zero points shared by consecutive nodes are single elements: no shared-weight.",
                   torch_framework(m, "sum(p.numel() for p in model.parameters()) of the float "
                                      "model before quantization"))

    seed(11)
    mlp = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10)).eval()
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        onnx.save_model(export(mlp, (torch.randn(1, 32),)), str(fp32))
        path = OUT / "int8_dynamic.onnx"
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8)
        proto = onnx.load(str(path))
        onnx.checker.check_model(proto)
        run_ort(path, {"input": np.ones((1, 32), np.float32)})
        ops = sorted({n.op_type for n in proto.graph.node})
        record(path, f"MLP Linear(32,64) -> ReLU -> Linear(64,10) ({torch_count(mlp):,d} float parameters "
                     f"in torch) after onnxruntime quantize_dynamic; ops {', '.join(ops)}: INT8 weights with "
                     "FLOAT scales and INT8 zero points are parameters; the FLOAT biases stay float.",
               torch_framework(mlp, "sum(p.numel() for p in model.parameters()) of the float model "
                                    "before quantization"))


def fx_batchnorm() -> None:
    seed(12)
    m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU()).eval()
    bn = m[1]
    with torch.no_grad():  # as after training; also keeps the exporter from merging equal tensors
        bn.weight.copy_(torch.rand(8) + 0.5)
        bn.bias.copy_(torch.randn(8) * 0.1)
        bn.running_mean.copy_(torch.randn(8) * 0.1)
        bn.running_var.copy_(torch.rand(8) + 0.5)
    path = OUT / "batchnorm.onnx"
    proto = export(m, (torch.randn(1, 3, 16, 16),), training=torch.onnx.TrainingMode.PRESERVE,
                   do_constant_folding=False)
    bns = [n for n in proto.graph.node if n.op_type == "BatchNormalization"]
    init = {t.name for t in proto.graph.initializer}
    assert len(bns) == 1 and bns[0].input[3] in init and bns[0].input[4] in init, bns
    save_inline(proto, path)
    out = run_ort(path, {"input": np.ones((1, 3, 16, 16), np.float32)})
    assert np.allclose(out[0], m(torch.ones(1, 3, 16, 16)).detach().numpy(), atol=1e-5)
    record(path, "Conv2d(3,8,3x3) -> BatchNorm2d(8) -> ReLU exported with TrainingMode.PRESERVE and "
                 "no constant folding, so BatchNormalization is kept: conv 224 + gamma/beta 16 "
                 "trainable, running mean/var 16 non-trainable = 256.",
           torch_framework(m, "sum(p.numel() for p in model.parameters()) = 240; the BN running "
                              "mean/var (16 elements) are torch buffers, not parameters"),
           expect_total=256)


def fx_vgg16() -> None:
    seed(13)
    m, origin = vgg16_model()
    m.eval()
    assert torch_count(m) == 138357544
    path = OUT / "vgg16.onnx"
    save_external(export(m, (torch.randn(1, 3, 224, 224),)), path, keep_data=False)
    record(path, "VGG16 (torchvision.models.vgg16 layout, 1000 classes) at 1x3x224x224: 138,357,544. "
                 "Layout-only: initializers as external data (vgg16.onnx.data), data file absent.",
           torch_framework(m, f"sum(p.numel() for p in model.parameters()); model: {origin}"),
           expect_total=138357544)


def fx_unet() -> None:
    seed(14)
    m = UNet().eval()
    assert torch_count(m) == 7759554, torch_count(m)
    path = OUT / "unet.onnx"
    save_external(export(m, (torch.randn(1, 1, 256, 256),)), path, keep_data=False)
    record(path, "UNet, base 32 channels, 1 input channel, 2 classes, no BatchNormalization: encoder "
                 "double 3x3 convs 32/64/128/256 + MaxPool, bottleneck 512, decoder ConvTranspose2d "
                 "(2x2, s2) + skip concat + double conv, 1x1 head; 7,759,554 at 1x1x256x256. "
                 "Layout-only: external data (unet.onnx.data) absent.",
           torch_framework(m), expect_total=7759554)


def fx_dynamic_batch() -> None:
    seed(15)
    m = TinyCnn(4).eval()
    path = OUT / "dynamic_batch.onnx"
    save_inline(export(m, (torch.randn(2, 3, 32, 32),),
                       dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}), path)
    out = run_ort(path, {"input": np.ones((3, 3, 32, 32), np.float32)})
    assert out[0].shape == (3, 10)
    record(path, "Conv(3->4, 3x3, pad 1) -> ReLU -> GAP -> Linear(4,10) = 162, exported with a "
                 "dynamic batch axis named \"batch\": input [batch,3,32,32], output [batch,10].",
           torch_framework(m), expect_total=162)


# --------------------------------------------------------------------------------------------

def write_expected() -> None:
    doc = json.loads(EXPECTED.read_text()) if EXPECTED.exists() else {"fixtures": {}}
    fixtures = {k: v for k, v in doc.get("fixtures", {}).items() if not k.startswith("onnx/")}
    fixtures.update(ENTRIES)
    doc["fixtures"] = fixtures
    tmp = EXPECTED.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    tmp.replace(EXPECTED)


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    torch.set_num_threads(1)  # bit-identical float results run to run
    for fx in (fx_cnn_seed, fx_mlp_mnist, fx_tiny_mlp, fx_tied_weights, fx_subgraph_if,
               fx_subgraph_loop, fx_sparse_init, fx_external, fx_fp16, fx_quantized,
               fx_batchnorm, fx_vgg16, fx_unet, fx_dynamic_batch):
        fx()
    size = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"{len(ENTRIES)} fixtures, {size:,d} bytes in {OUT.relative_to(REPO)}")
    assert size < TOTAL_BUDGET, size
    write_expected()
    print(f"updated {EXPECTED.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
