#!/usr/bin/env python3
"""Writes testdata/formula/: models whose inputs keep dims symbolic, for the symbolic cost formula.

FormulaPointsTest evaluates modeltally's `compute.formula` of every fixture with symbolic input dims
at several points and compares it with a concrete analysis at each point. These files add the
shapes where such a formula is hard to get right: floor/ceil terms of strided, dilated and padded
convs and pools, ConvTranspose, Resize by scale and by computed sizes, attention quadratic in the
sequence, dynamo exports whose value_info holds expressions (`2*s1`), sizes that come from data
(NonZero: the formula must be partial), skip Concats valid only where H and W divide by 8, and Keras
models with None dims.

Every ONNX model is run by onnxruntime at two or more shapes before it is written (and before its
weights are stripped, for the layout-only ones); every Keras model is run by Keras at two or more
shapes and loaded back. What was run, and the output shapes returned, are written to
testdata/formula/checks.json (documentation: the Java test does not read it).

Run:  /work/venv-fixtures/bin/python testdata/generate/formula_models.py [name ...]
      (torch, onnx, onnxruntime, onnxscript, transformers, keras 3 with tensorflow; see
      testdata/generate/setup-venv.sh). With names, only those fixtures are rebuilt.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from onnx.external_data_helper import convert_model_to_external_data

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "testdata" / "formula"
CHECKS = OUT / "checks.json"
OPSET = 17

warnings.filterwarnings("ignore")
FIXTURES = {}


def fixture(fn):
    FIXTURES[fn.__name__.removesuffix("_fixture")] = fn
    return fn


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def feed_for(session: ort.InferenceSession, shapes: dict[str, list[int]], int_high: int) -> dict:
    rng = np.random.default_rng(0)
    feed = {}
    for i in session.get_inputs():
        shape = shapes[i.name]
        if "int64" in i.type:
            feed[i.name] = rng.integers(0, int_high, size=shape, dtype=np.int64)
        elif "int32" in i.type:
            feed[i.name] = rng.integers(0, int_high, size=shape, dtype=np.int32)
        else:
            feed[i.name] = rng.standard_normal(shape).astype(np.float32)
    return feed


def ort_check(path: Path, points: list[dict[str, list[int]]], int_high: int = 100,
              must_fail: list[dict[str, list[int]]] = ()) -> dict:
    """Runs the model at every point (all must run) and at every must_fail point (all must fail)."""
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    opts.log_severity_level = 4
    session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    runs = []
    for shapes in points:
        results = session.run(None, feed_for(session, shapes, int_high))
        runs.append({"inputs": shapes,
                     "outputs": [{"name": o.name, "shape": list(r.shape)}
                                 for o, r in zip(session.get_outputs(), results)]})
    refused = []
    for shapes in must_fail:
        try:
            session.run(None, feed_for(session, shapes, int_high))
        except Exception as e:  # onnxruntime raises its own exception types
            refused.append({"inputs": shapes, "error": str(e).splitlines()[0][:160]})
            continue
        raise AssertionError(f"{path.name} ran at {shapes}, which should be invalid")
    declared = [{"name": i.name, "shape": [d.dim_param or (d.dim_value if d.HasField("dim_value") else None)
                                           for d in i.type.tensor_type.shape.dim]}
                for i in onnx.load(str(path), load_external_data=False).graph.input]
    return {"checked_by": "onnxruntime " + ort.__version__, "inputs": declared, "runs": runs,
            "refused": refused}


def strip_metadata(model: onnx.ModelProto) -> None:
    def walk(graph):
        for n in graph.node:
            del n.metadata_props[:]
            n.doc_string = ""
            for a in n.attribute:
                if a.type == onnx.AttributeProto.GRAPH:
                    walk(a.g)
                for g in a.graphs:
                    walk(g)
        for v in list(graph.input) + list(graph.output) + list(graph.value_info):
            del v.metadata_props[:]
            v.doc_string = ""
        for t in graph.initializer:
            del t.metadata_props[:]
    walk(model.graph)
    del model.metadata_props[:]


def finish(src: Path, name: str, layout_only: bool) -> Path:
    """Copies the model to testdata/formula/NAME; layout-only: float initializers over 1 KiB point at
    external data NAME.data, which is never kept."""
    dst = OUT / name
    data = OUT / (name + ".data")
    for p in (dst, data):
        p.unlink(missing_ok=True)
    model = onnx.load(str(src), load_external_data=True)
    strip_metadata(model)
    if layout_only:
        convert_model_to_external_data(model, all_tensors_to_one_file=True, location=data.name,
                                       size_threshold=1024, convert_attribute=False)
    onnx.save_model(model, str(dst))
    data.unlink(missing_ok=True)
    return dst


def torch_export(model: nn.Module, args: tuple, path: Path, input_names, output_names, dynamic_axes=None,
                 dynamo=False, dynamic_shapes=None) -> None:
    model.eval()
    if dynamo:
        torch.onnx.export(model, args, str(path), dynamo=True, opset_version=18, input_names=input_names,
                          output_names=output_names, dynamic_shapes=dynamic_shapes, external_data=False)
    else:
        torch.onnx.export(model, args, str(path), dynamo=False, opset_version=OPSET, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic_axes, do_constant_folding=True)


def torch_fixture(name, model, args, input_names, output_names, points, description, layout_only=False,
                  dynamic_axes=None, dynamo=False, dynamic_shapes=None, int_high=100, must_fail=()):
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "model.onnx"
        torch_export(model, args, src, input_names, output_names, dynamic_axes, dynamo, dynamic_shapes)
        onnx.checker.check_model(str(src))
        check = ort_check(src, points, int_high, must_fail)
        finish(src, name, layout_only)
    check.update(description=description, layout_only=layout_only,
                 exporter="torch " + torch.__version__.split("+")[0] + (" dynamo" if dynamo else " torchscript"))
    return check


def helper_fixture(name, model: onnx.ModelProto, points, description, int_high=100, must_fail=()):
    onnx.checker.check_model(model)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    onnx.save_model(model, str(path))
    check = ort_check(path, points, int_high, must_fail)
    check.update(description=description, layout_only=False, exporter="onnx.helper " + onnx.__version__)
    return check


# --------------------------------------------------------------------------------------------
# 1. CNN with dynamic N x H x W
# --------------------------------------------------------------------------------------------

class StridedCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.strided = nn.Conv2d(3, 8, 3, stride=2, padding=1)        # pad 1, stride 2
        self.odd = nn.Conv2d(8, 8, 5)                                   # odd kernel, no pad
        self.dilated = nn.Conv2d(8, 8, 3, padding=1, dilation=2)        # dilation 2
        self.bn = nn.BatchNorm2d(8)                                     # after a ReLU: not folded
        self.maxpool = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.avgpool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=True)
        self.up = nn.ConvTranspose2d(8, 6, 3, stride=2, padding=1, output_padding=1)
        self.head = nn.Linear(6, 5)

    def forward(self, x):
        x = F.relu(self.strided(x))
        x = F.relu(self.odd(x))
        x = self.bn(F.relu(self.dilated(x)))
        x = self.avgpool(self.maxpool(x))
        x = F.relu(self.up(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)   # GlobalAveragePool + Flatten
        return self.head(x)                                  # Gemm


@fixture
def cnn_dynamic_hw_fixture():
    torch.manual_seed(0)
    m = StridedCnn().eval()
    for p in m.bn.parameters():
        nn.init.uniform_(p)
    return "cnn_dynamic_hw.onnx", torch_fixture(
        "cnn_dynamic_hw.onnx", m, (torch.randn(2, 3, 64, 64),), ["image"], ["logits"],
        [{"image": [1, 3, 64, 64]}, {"image": [2, 3, 97, 113]}, {"image": [3, 3, 224, 96]}],
        "CNN with dynamic N x H x W (torch.onnx TorchScript exporter, dynamic_axes batch/height/width): "
        "Conv k3 s2 p1, Conv k5 no pad, dilated Conv, BatchNorm, MaxPool ceil_mode, AvgPool "
        "count_include_pad, ConvTranspose s2 output_padding 1, GlobalAveragePool, Flatten, Gemm",
        dynamic_axes={"image": {0: "batch", 2: "height", 3: "width"}, "logits": {0: "batch"}})


# --------------------------------------------------------------------------------------------
# 2. Resize by scale with dynamic H x W
# --------------------------------------------------------------------------------------------

class ResizeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 3, padding=1)
        self.b = nn.Conv2d(4, 4, 3, padding=1)
        self.c = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        x = F.interpolate(F.relu(self.a(x)), scale_factor=2, mode="nearest")
        x = F.relu(self.b(x))
        x = F.interpolate(x, scale_factor=0.5, mode="bilinear", align_corners=False)
        return self.c(x)


@fixture
def resize_scale_torch_fixture():
    torch.manual_seed(0)
    return "resize_scale_torch.onnx", torch_fixture(
        "resize_scale_torch.onnx", ResizeNet().eval(), (torch.randn(1, 3, 32, 32),), ["x"], ["y"],
        [{"x": [1, 3, 64, 64]}, {"x": [2, 3, 97, 113]}, {"x": [1, 3, 33, 7]}],
        "F.interpolate(scale_factor=2, nearest) then (scale_factor=0.5, bilinear) between convs, dynamic "
        "N x H x W (TorchScript exporter)",
        dynamic_axes={"x": {0: "n", 2: "h", 3: "w"}, "y": {0: "n", 2: "h_out", 3: "w_out"}})


def const(name, values, dtype=TensorProto.INT64):
    arr = np.array(values, dtype=np.int64 if dtype == TensorProto.INT64 else np.float32)
    return helper.make_node("Constant", [], [name], name=name, value=numpy_helper.from_array(arr, name))


@fixture
def resize_helper_fixture():
    """Resize with constant scales [1,1,2,2], then Resize with sizes = Concat(Shape[0:2], Shape(x)[2:4]*3).
    H and W of the input are unnamed dynamic dims (no dim_param), the batch is named."""
    rng = np.random.default_rng(0)
    w1 = numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3)).astype(np.float32), "w1")
    w2 = numpy_helper.from_array(rng.standard_normal((2, 4, 3, 3)).astype(np.float32), "w2")
    nodes = [
        helper.make_node("Constant", [], ["scales"], name="scales",
                         value=numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")),
        helper.make_node("Resize", ["x", "", "scales"], ["up"], name="resize_scales", mode="nearest"),
        helper.make_node("Conv", ["up", "w1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Shape", ["x"], ["xs"], name="shape_x"),
        const("s2", [2]), const("s4", [4]), const("s0", [0]), const("three", [3]),
        helper.make_node("Slice", ["xs", "s2", "s4", "s0"], ["hw"], name="slice_hw"),
        helper.make_node("Mul", ["hw", "three"], ["hw3"], name="mul_hw"),
        helper.make_node("Shape", ["r1"], ["rs"], name="shape_r1"),
        helper.make_node("Slice", ["rs", "s0", "s2", "s0"], ["nc"], name="slice_nc"),
        helper.make_node("Concat", ["nc", "hw3"], ["sizes"], name="concat_sizes", axis=0),
        helper.make_node("Resize", ["r1", "", "", "sizes"], ["big"], name="resize_sizes", mode="linear"),
        helper.make_node("Conv", ["big", "w2"], ["y"], name="conv2", strides=[2, 2]),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 3, None, None])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", 2, None, None])
    graph = helper.make_graph(nodes, "resize_helper", [x], [y], initializer=[w1, w2])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="onnx.helper", ir_version=8)
    # make_tensor_value_info writes None as a dim with neither dim_value nor dim_param: unnamed
    return "resize_helper.onnx", helper_fixture(
        "resize_helper.onnx", model,
        [{"x": [1, 3, 16, 16]}, {"x": [2, 3, 17, 9]}, {"x": [1, 3, 64, 96]}],
        "onnx.helper: Resize with constant scales [1,1,2,2], Conv, Resize with sizes from "
        "Shape -> Slice -> Mul -> Concat (3x the input's H x W), strided Conv; input x [n, 3, ?, ?] with "
        "unnamed H and W")


# --------------------------------------------------------------------------------------------
# 3. Transformers with batch x sequence
# --------------------------------------------------------------------------------------------

def import_transformers():
    """transformers imports torchvision when it is installed; its wheel is built for CUDA torch, so
    registering its C++ ops' meta kernels fails (as in compute_fixtures.import_torchvision): that one
    module is skipped, the models here never use those ops."""
    import types
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
    import transformers
    return transformers


def hf_wrapper(m, outputs):
    class W(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = m

        def forward(self, ids, mask=None):
            o = self.m(input_ids=ids, attention_mask=mask) if mask is not None else self.m(input_ids=ids)
            return tuple(getattr(o, k) for k in outputs)
    return W()


@fixture
def bert_tiny_fixture():
    t = import_transformers()
    BertConfig, BertModel = t.BertConfig, t.BertModel
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128, attn_implementation="eager")
    m = BertModel(cfg).eval()
    trace = (torch.randint(0, 100, (2, 16)), torch.ones(2, 16, dtype=torch.long))
    return "bert_tiny.onnx", torch_fixture(
        "bert_tiny.onnx", hf_wrapper(m, ["last_hidden_state", "pooler_output"]), trace,
        ["input_ids", "attention_mask"], ["last_hidden_state", "pooler_output"],
        [{"input_ids": [1, 7], "attention_mask": [1, 7]}, {"input_ids": [3, 64], "attention_mask": [3, 64]},
         {"input_ids": [2, 128], "attention_mask": [2, 128]}],
        "transformers BertModel (hidden 32, 2 layers, 2 heads, 128 positions, eager attention), TorchScript "
        "exporter, dynamic batch and sequence on input_ids and attention_mask",
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                      "last_hidden_state": {0: "batch", 1: "sequence"}, "pooler_output": {0: "batch"}},
        int_high=2, layout_only=True)


@fixture
def gpt2_tiny_fixture():
    t = import_transformers()
    GPT2Config, GPT2Model = t.GPT2Config, t.GPT2Model
    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=100, n_embd=32, n_layer=2, n_head=2, n_positions=64, use_cache=False,
                     attn_implementation="eager")
    m = GPT2Model(cfg).eval()
    trace = (torch.randint(0, 100, (2, 16)),)  # torch.export specialises a size-1 dim
    b = torch.export.Dim("batch", max=1024)
    s = torch.export.Dim("sequence", max=64)
    # the TorchScript exporter cannot export GPT-2's mask code (aten::diff): dynamo, as in compute/gpt2
    return "gpt2_tiny.onnx", torch_fixture(
        "gpt2_tiny.onnx", hf_wrapper(m, ["last_hidden_state"]), trace, ["input_ids"], ["last_hidden_state"],
        [{"input_ids": [1, 1]}, {"input_ids": [2, 7]}, {"input_ids": [5, 64]}],
        "transformers GPT2Model (32 dims, 2 layers, 2 heads, 64 positions, eager attention, no cache), "
        "torch.onnx.export(dynamo=True), dynamic batch and sequence",
        dynamo=True, dynamic_shapes=({0: b, 1: s},), layout_only=True)


class SlicedPositionEncoder(nn.Module):
    """Learned positions sliced to the sequence (ViT / many small transformers): the model runs only
    up to 64 tokens. cat([h, h]) puts a 2*s1 dim into the dynamo export's value_info."""

    def __init__(self, vocab=50, dim=16, heads=2, max_len=64):
        super().__init__()
        self.heads = heads
        self.tok = nn.Embedding(vocab, dim)
        self.pos = nn.Parameter(torch.randn(1, max_len, dim) * 0.02)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)
        self.mix = nn.Linear(dim, dim)

    def forward(self, ids):
        b, t = ids.shape
        h = self.tok(ids) + self.pos[:, :t]
        q, k, v = self.qkv(h).split(h.shape[-1], dim=-1)
        d = h.shape[-1] // self.heads
        q = q.view(b, t, self.heads, d).transpose(1, 2)
        k = k.view(b, t, self.heads, d).transpose(1, 2)
        v = v.view(b, t, self.heads, d).transpose(1, 2)
        att = torch.softmax(q @ k.transpose(-2, -1) / d ** 0.5, dim=-1)
        h = self.norm(h + self.proj((att @ v).transpose(1, 2).reshape(b, t, -1)))
        both = torch.cat([h, h.flip(1)], dim=1)            # [b, 2*t, dim]
        return self.mix(both).mean(dim=1)


@fixture
def dynamo_encoder_fixture():
    torch.manual_seed(0)
    # Dim.DYNAMIC: torch.export names the dims itself (s0, s1, ...) and infers the range 2..64 of the
    # sequence from the slice of the 64 positions
    b = s = torch.export.Dim.DYNAMIC
    return "dynamo_encoder.onnx", torch_fixture(
        "dynamo_encoder.onnx", SlicedPositionEncoder().eval(), (torch.randint(0, 50, (2, 8)),), ["ids"],
        ["pooled"],
        [{"ids": [1, 7]}, {"ids": [3, 16]}, {"ids": [2, 64]}, {"ids": [1, 1]}],
        "torch.onnx.export(dynamo=True) of a small encoder (token embedding + learned positions sliced "
        "to the sequence, one attention block, LayerNorm, cat along the sequence): dim names s0/s1, "
        "value_info holds 2*s1; valid up to 64 tokens (onnxruntime refuses 65)",
        dynamo=True, dynamic_shapes=({0: b, 1: s},), int_high=50, must_fail=[{"ids": [1, 65]}])


# --------------------------------------------------------------------------------------------
# 4. Sizes from data: the formula must be partial
# --------------------------------------------------------------------------------------------

@fixture
def nonzero_partial_fixture():
    """rows = NonZero(ReduceSum(x, 1) > 0) picks K of the N rows; the MatMul on them costs K*16*8, K
    known only at run time. The MatMul on all rows (N*16*4) is an exact function of N."""
    rng = np.random.default_rng(0)
    w_sel = numpy_helper.from_array(rng.standard_normal((16, 8)).astype(np.float32), "w_sel")
    w_all = numpy_helper.from_array(rng.standard_normal((16, 4)).astype(np.float32), "w_all")
    nodes = [
        helper.make_node("MatMul", ["x", "w_all"], ["all_rows"], name="matmul_all"),
        helper.make_node("Relu", ["all_rows"], ["dense"], name="relu_all"),
        const("axis1", [1]),
        helper.make_node("ReduceSum", ["x", "axis1"], ["row_sum"], name="row_sum", keepdims=0),
        helper.make_node("Constant", [], ["zero"], name="zero",
                         value=numpy_helper.from_array(np.array(0, np.float32), "zero")),
        helper.make_node("Greater", ["row_sum", "zero"], ["keep"], name="keep"),
        helper.make_node("NonZero", ["keep"], ["nz"], name="nonzero"),
        const("axis0", [0]),
        helper.make_node("Squeeze", ["nz", "axis0"], ["rows"], name="squeeze_rows"),
        helper.make_node("Gather", ["x", "rows"], ["picked"], name="gather_rows", axis=0),
        helper.make_node("MatMul", ["picked", "w_sel"], ["sel"], name="matmul_picked"),
        helper.make_node("ReduceSum", ["sel", "axis0"], ["selected"], name="sum_picked", keepdims=1),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 16])
    outs = [helper.make_tensor_value_info("dense", TensorProto.FLOAT, ["n", 4]),
            helper.make_tensor_value_info("selected", TensorProto.FLOAT, [1, 8])]
    graph = helper.make_graph(nodes, "nonzero_partial", [x], outs, initializer=[w_sel, w_all])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="onnx.helper", ir_version=8)
    return "nonzero_partial.onnx", helper_fixture(
        "nonzero_partial.onnx", model, [{"x": [1, 16]}, {"x": [5, 16]}, {"x": [64, 16]}],
        "onnx.helper: MatMul on all n rows, and Gather of the rows NonZero(ReduceSum(x) > 0) picks, then "
        "MatMul on those: a cost known only from the data (formula partial, naming those nodes)")


# --------------------------------------------------------------------------------------------
# 5. UNet-like: skip Concats need H and W divisible by 8
# --------------------------------------------------------------------------------------------

class TinyUnet(nn.Module):
    def __init__(self, c=4):
        super().__init__()
        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1), nn.ReLU())
        self.e1, self.e2, self.e3 = block(1, c), block(c, 2 * c), block(2 * c, 4 * c)
        self.mid = block(4 * c, 4 * c)
        self.u3 = nn.ConvTranspose2d(4 * c, 4 * c, 2, stride=2)
        self.d3 = block(8 * c, 2 * c)
        self.d2 = block(4 * c, c)                 # after a nearest Upsample (Resize)
        self.u1 = nn.ConvTranspose2d(c, c, 2, stride=2)
        self.d1 = block(2 * c, c)
        self.out = nn.Conv2d(c, 2, 1)

    def forward(self, x):
        s1 = self.e1(x)
        s2 = self.e2(F.max_pool2d(s1, 2))
        s3 = self.e3(F.max_pool2d(s2, 2))
        m = self.mid(F.max_pool2d(s3, 2))
        d = self.d3(torch.cat([self.u3(m), s3], 1))
        d = self.d2(torch.cat([F.interpolate(d, scale_factor=2, mode="nearest"), s2], 1))
        d = self.d1(torch.cat([self.u1(d), s1], 1))
        return self.out(d)


@fixture
def unet_div8_fixture():
    torch.manual_seed(0)
    return "unet_div8.onnx", torch_fixture(
        "unet_div8.onnx", TinyUnet().eval(), (torch.randn(1, 1, 64, 64),), ["image"], ["mask"],
        [{"image": [1, 1, 64, 96]}, {"image": [2, 1, 128, 224]}, {"image": [1, 1, 8, 16]}],
        "UNet-like (3 poolings, ConvTranspose and nearest Upsample back, skip Concats), dynamic "
        "N x H x W: runs only where H and W divide by 8 (onnxruntime refuses 97 x 96)",
        dynamic_axes={"image": {0: "batch", 2: "height", 3: "width"}, "mask": {0: "batch", 2: "height", 3: "width"}},
        must_fail=[{"image": [1, 1, 97, 96]}])


# --------------------------------------------------------------------------------------------
# 6. Keras 3 with None dims
# --------------------------------------------------------------------------------------------

def keras_fixture(name, build, points, description, int_high=None):
    import keras
    keras.utils.set_random_seed(0)
    model = build(keras)
    path = OUT / name
    path.unlink(missing_ok=True)
    model.save(str(path))
    loaded = keras.saving.load_model(str(path))
    assert loaded.count_params() == model.count_params()
    rng = np.random.default_rng(0)
    runs = []
    for shape in points:
        if int_high:
            x = rng.integers(1, int_high, size=shape).astype("int32")
        else:
            x = rng.standard_normal(shape).astype("float32")
        y = np.asarray(model.predict(x, verbose=0))
        np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), y, rtol=1e-4, atol=1e-5)
        runs.append({"inputs": {model.inputs[0].name: list(shape)}, "outputs": [{"shape": list(y.shape)}]})
    return name, {"checked_by": "keras " + keras.__version__ + " (" + keras.backend.backend() + ")",
                  "inputs": [{"name": t.name, "shape": list(t.shape)} for t in model.inputs],
                  "runs": runs, "refused": [], "parameters": model.count_params(),
                  "description": description, "layout_only": False, "exporter": "keras " + keras.__version__}


@fixture
def keras_conv_hw_fixture():
    def build(keras):
        L = keras.layers
        x = keras.Input(shape=(None, None, 3), name="image")
        h = L.Conv2D(4, 3, strides=2, padding="same", activation="relu", name="conv_same_s2")(x)
        h = L.Conv2D(4, 3, padding="valid", activation="relu", name="conv_valid")(h)
        h = L.MaxPooling2D(2, name="pool")(h)
        h = L.UpSampling2D(2, name="up")(h)
        h = L.Conv2D(6, 3, strides=2, padding="valid", name="conv_valid_s2")(h)
        h = L.GlobalAveragePooling2D(name="gap")(h)
        y = L.Dense(5, name="head")(h)
        return keras.Model(x, y, name="conv_hw")
    return keras_fixture(
        "keras_conv_hw.keras", build, [(1, 64, 64, 3), (2, 97, 113, 3), (3, 33, 20, 3)],
        "Keras 3 functional conv net, Input(shape=(None, None, 3)): Conv2D same s2, valid, MaxPooling2D, "
        "UpSampling2D, Conv2D valid s2, GlobalAveragePooling2D, Dense")


@fixture
def keras_seq_fixture():
    def build(keras):
        L = keras.layers
        ids = keras.Input(shape=(None,), dtype="int32", name="tokens")
        h = L.Embedding(50, 8, name="embed")(ids)
        a = L.MultiHeadAttention(num_heads=2, key_dim=4, name="mha")(h, h)
        h = L.LayerNormalization(name="norm")(L.Add(name="residual")([h, a]))
        h = L.LSTM(6, name="lstm")(h)
        y = L.Dense(3, name="head")(h)
        return keras.Model(ids, y, name="seq")
    return keras_fixture(
        "keras_seq.keras", build, [(1, 7), (2, 16), (5, 1)],
        "Keras 3: None batch and None sequence: Embedding, self-attention MultiHeadAttention, residual Add, "
        "LayerNormalization, LSTM, Dense", int_high=50)


# --------------------------------------------------------------------------------------------

def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    checks = json.loads(CHECKS.read_text()) if CHECKS.exists() else {}
    for key, fn in FIXTURES.items():
        if names and key not in names:
            continue
        print("==", key, flush=True)
        name, entry = fn()
        checks["formula/" + name] = entry
    checks = dict(sorted(checks.items()))
    CHECKS.write_text(json.dumps(checks, indent=1) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    main(sys.argv[1:])
