#!/usr/bin/env python3
"""Writes testdata/formula/heldout/: small models in the layouts of real exporters, for the symbolic cost formula.

The formula of issue 13 was checked on a held-out set of real exports (timm and transformers models by
the TorchScript and dynamo exporters, Keras applications with None dims, tf2onnx-, paddle2onnx- and
onnxruntime-quantizer-style graphs). These are tiny members of those families, kept so that
FormulaPointsTest (which evaluates `compute.formula` at several points against concrete analyses)
covers each layout, and the shapes where the held-out run found the formula wrong:

- dla_shortcut: DLA / HRNet-style residual Add of a stride-2 conv (floor((H + 1)/2)) and a pooled
  shortcut (floor(H/2)): equal only where H is even; their broadcast must stay a short expression
  block after block (it doubled in length per block and the formula went partial).
- vovnet_ceil_pool: VoVNet's MaxPool k3 s2 ceil_mode on a map of 2 rows gives 1 (the window hangs
  over the end); the concrete analysis said 0, so the formula disagreed there.
- vit_interp_pos: transformers ViT with interpolate_pos_encoding: the grid side of the learned
  positions is computed as int(num_positions ** 0.5) (Pow on constants), then a bicubic Resize to
  the image's patch grid, which keeps an axis where the image side is the native 64 (the Resize
  rule counts no interpolation there: the fit has to see such points).

onnx.helper graphs reproduce tf2onnx's NHWC layout (Transpose around Conv, Shape -> Gather -> Concat
-> Reshape, unk__NNN dim names), paddle2onnx's (dims -1, p2o.* names, Resize with sizes from Shape),
and onnxruntime.quantization's QDQ output. Every model is run by onnxruntime at two or more shapes
before it is written (before its weights are stripped, for the layout-only ones); the shapes and the
output shapes are written to testdata/formula/heldout/checks.json (documentation).

Run:  /work/venv-fixtures/bin/python testdata/generate/formula_heldout.py [name ...]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import types
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto as TP, helper, numpy_helper
from onnx.external_data_helper import convert_model_to_external_data

sys.path.insert(0, str(Path(__file__).resolve().parent))
import formula_models as fm  # noqa: E402  (shared helpers: ort_check, strip_metadata, torch_export)

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "testdata" / "formula" / "heldout"
CHECKS = OUT / "checks.json"
warnings.filterwarnings("ignore")
FIXTURES = {}


def fixture(fn):
    FIXTURES[fn.__name__.removesuffix("_fixture")] = fn
    return fn


def finish(src: Path, name: str, layout_only: bool) -> None:
    """Copies the model to OUT/NAME; layout-only: initializers over 1 KiB point at absent external data."""
    dst, data = OUT / name, OUT / (name + ".data")
    for p in (dst, data):
        p.unlink(missing_ok=True)
    model = onnx.load(str(src), load_external_data=True)
    fm.strip_metadata(model)
    if layout_only:
        convert_model_to_external_data(model, all_tensors_to_one_file=True, location=data.name,
                                       size_threshold=1024, convert_attribute=False)
    onnx.save_model(model, str(dst))
    data.unlink(missing_ok=True)


def torch_fixture(name, model, args, input_names, output_names, points, description, layout_only=False,
                  dynamic_axes=None, dynamo=False, dynamic_shapes=None, int_high=100, must_fail=()):
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "model.onnx"
        fm.torch_export(model, args, src, input_names, output_names, dynamic_axes, dynamo, dynamic_shapes)
        onnx.checker.check_model(str(src))
        check = fm.ort_check(src, points, int_high, must_fail)
        finish(src, name, layout_only)
    check.update(description=description, layout_only=layout_only,
                 exporter="torch " + torch.__version__.split("+")[0] + (" dynamo" if dynamo else " torchscript"))
    return name, check


def helper_fixture(name, model, points, description, producer):
    onnx.checker.check_model(model)
    path = OUT / name
    onnx.save_model(model, str(path))
    check = fm.ort_check(path, points)
    check.update(description=description, layout_only=False, exporter=producer + " layout, onnx.helper " + onnx.__version__)
    return name, check


def import_timm():
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
    import timm
    return timm


def weights(rng, name, *shape):
    return numpy_helper.from_array((rng.standard_normal(shape) * 0.1).astype(np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


# --------------------------------------------------------------------------------------------

class ShortcutLevel(nn.Module):
    """DLA's tree root / HRNet's fuse: stride-2 conv path plus max-pooled 1x1 shortcut, added."""

    def __init__(self, i, o):
        super().__init__()
        self.conv = nn.Conv2d(i, o, 3, 2, 1)
        self.conv2 = nn.Conv2d(o, o, 3, 1, 1)
        self.proj = nn.Conv2d(i, o, 1)

    def forward(self, x):
        short = self.proj(F.max_pool2d(x, 2, 2))
        return F.relu(self.conv2(F.relu(self.conv(x))) + short)


class ShortcutNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 4, 3, 1, 1)
        self.levels = nn.Sequential(ShortcutLevel(4, 8), ShortcutLevel(8, 8), ShortcutLevel(8, 16),
                                    ShortcutLevel(16, 16))
        self.fc = nn.Linear(16, 3)

    def forward(self, x):
        return self.fc(self.levels(F.relu(self.stem(x))).mean((2, 3)))


@fixture
def dla_shortcut_fixture():
    torch.manual_seed(0)
    return torch_fixture(
        "dla_shortcut.onnx", ShortcutNet().eval(), (torch.randn(1, 3, 64, 64),), ["x"], ["y"],
        [{"x": [1, 3, 64, 64]}, {"x": [2, 3, 96, 224]}, {"x": [1, 3, 16, 48]}],
        "DLA-style levels: Conv k3 s2 p1 path + MaxPool k2 s2 -> Conv 1x1 shortcut, Add (the two sizes agree "
        "only where H and W divide by 16), four levels; TorchScript exporter, dynamic N x H x W",
        dynamic_axes={"x": {0: "batch", 2: "height", 3: "width"}, "y": {0: "batch"}},
        must_fail=[{"x": [1, 3, 97, 96]}])


class CeilPoolNet(nn.Module):
    """VoVNet's stage transitions: MaxPool k3 s2 ceil_mode, no pads. Five of them after a stride-2 stem
    bring a 64-row map to 2, where the one window starts inside and hangs over the end (1 row out)."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, 2, 1)
        self.convs = nn.ModuleList(nn.Conv2d(8, 8, 3, 1, 1) for _ in range(5))
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.stem(x))
        for conv in self.convs:
            x = F.max_pool2d(F.relu(conv(x)), 3, 2, ceil_mode=True)
        return self.head(x.mean((2, 3)))


@fixture
def vovnet_ceil_pool_fixture():
    torch.manual_seed(0)
    return torch_fixture(
        "vovnet_ceil_pool.onnx", CeilPoolNet().eval(), (torch.randn(1, 3, 64, 64),), ["x"], ["y"],
        [{"x": [1, 3, 64, 96]}, {"x": [2, 3, 97, 113]}, {"x": [1, 3, 224, 64]}],
        "VoVNet-style: Conv s2 stem, then five Conv 3x3 + MaxPool k3 s2 ceil_mode (no pads); at 64 rows the "
        "last pool sees 2 rows and gives 1 (its window hangs over the end); TorchScript exporter, dynamic N x H x W",
        dynamic_axes={"x": {0: "batch", 2: "height", 3: "width"}, "y": {0: "batch"}})


@fixture
def timm_convnext_hw_fixture():
    timm = import_timm()
    torch.manual_seed(0)
    m = timm.create_model("convnext_atto", pretrained=False, dims=(8, 16, 24, 32), depths=(1, 1, 1, 1),
                          num_classes=5).eval()
    return torch_fixture(
        "timm_convnext_hw.onnx", m, (torch.randn(2, 3, 64, 64),), ["x"], ["logits"],
        [{"x": [1, 3, 64, 64]}, {"x": [2, 3, 97, 113]}, {"x": [3, 3, 33, 71]}],
        "timm convnext_atto (random init, dims 8/16/24/32, one block per stage): patchify stem k4 s4, "
        "depthwise 7x7, LayerNorm over channels, k2 s2 downsamples; TorchScript exporter, dynamic N x H x W",
        dynamic_axes={"x": {0: "batch", 2: "height", 3: "width"}, "logits": {0: "batch"}})


@fixture
def timm_mobilenetv3_dynamo_fixture():
    timm = import_timm()
    torch.manual_seed(0)
    m = timm.create_model("mobilenetv3_small_050", pretrained=False, num_classes=10).eval()
    b = torch.export.Dim("batch", min=1, max=64)
    h = torch.export.Dim("h", min=32, max=512)
    w = torch.export.Dim("w", min=32, max=512)
    return torch_fixture(
        "timm_mobilenetv3_dynamo.onnx", m, (torch.randn(2, 3, 64, 64),), ["x"], ["logits"],
        [{"x": [1, 3, 64, 64]}, {"x": [2, 3, 97, 113]}, {"x": [3, 3, 224, 96]}],
        "timm mobilenetv3_small_050 (random init): squeeze-excite, depthwise, hard-swish; "
        "torch.onnx.export(dynamo=True), dynamic N x H x W (dims batch/h/w); layout only",
        dynamo=True, dynamic_shapes=({0: b, 2: h, 3: w},), layout_only=True)


@fixture
def llama_past_fixture():
    t = fm.import_transformers()
    torch.manual_seed(0)
    cfg = t.LlamaConfig(vocab_size=100, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                        attn_implementation="eager")
    m = t.LlamaModel(cfg).eval()

    class WithPast(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = m

        def forward(self, ids, k0, v0, k1, v1):
            from transformers.cache_utils import DynamicCache
            cache = DynamicCache()
            cache.update(k0, v0, 0)
            cache.update(k1, v1, 1)
            o = self.m(input_ids=ids, past_key_values=cache, use_cache=True)
            layers = o.past_key_values.layers
            return (o.last_hidden_state, layers[0].keys, layers[0].values, layers[1].keys, layers[1].values)

    b = torch.export.Dim("batch", max=64)
    s = torch.export.Dim("seq", max=64)
    p = torch.export.Dim("past", max=64)
    past = [torch.randn(2, 2, 7, 8) for _ in range(4)]
    names = ["input_ids", "past_key_0", "past_value_0", "past_key_1", "past_value_1"]

    def point(bb, ss, pp):
        d = {"input_ids": [bb, ss]}
        d.update({n: [bb, 2, pp, 8] for n in names[1:]})
        return d
    return torch_fixture(
        "llama_past.onnx", WithPast().eval(), (torch.randint(0, 100, (2, 5)), *past), names,
        ["last_hidden_state", "present_key_0", "present_value_0", "present_key_1", "present_value_1"],
        [point(1, 1, 0), point(2, 1, 7), point(3, 16, 5)],
        "transformers LlamaModel (hidden 32, 2 layers, 4 heads, 2 KV heads: GQA, rotary, RMSNorm, SiLU MLP, "
        "eager attention) with past keys/values and no mask (causal from the cache length); "
        "torch.onnx.export(dynamo=True), dynamic batch, sequence and past (past 0 included)",
        dynamo=True, dynamic_shapes=({0: b, 1: s},) + tuple({0: b, 2: p} for _ in range(4)), int_high=100)


def whisper_model():
    t = fm.import_transformers()
    torch.manual_seed(0)
    cfg = t.WhisperConfig(vocab_size=100, d_model=32, encoder_layers=2, encoder_attention_heads=2,
                          decoder_layers=1, decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                          num_mel_bins=8, max_source_positions=50, max_target_positions=32, pad_token_id=0,
                          bos_token_id=1, eos_token_id=2, decoder_start_token_id=3,
                          attn_implementation="eager")
    return t.WhisperModel(cfg).get_encoder().eval()


@fixture
def whisper_encoder_fixture():
    enc = whisper_model()

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = enc

        def forward(self, x):
            return self.m(input_features=x).last_hidden_state
    return torch_fixture(
        "whisper_encoder.onnx", Encoder().eval(), (torch.randn(2, 8, 100),), ["input_features"],
        ["last_hidden_state"],
        [{"input_features": [1, 8, 100]}, {"input_features": [3, 8, 100]}, {"input_features": [5, 8, 100]}],
        "transformers WhisperEncoder (8 mel bins, d_model 32, 2 layers, 50 positions): Conv1d k3, Conv1d k3 s2, "
        "GELU, learned positions, attention; TorchScript exporter, dynamic batch (frames fixed by the positions)",
        dynamic_axes={"input_features": {0: "batch"}, "last_hidden_state": {0: "batch"}})


@fixture
def whisper_frontend_fixture():
    enc = whisper_model()

    class Frontend(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1, self.c2 = enc.conv1, enc.conv2

        def forward(self, x):
            return F.gelu(self.c2(F.gelu(self.c1(x))))
    return torch_fixture(
        "whisper_frontend.onnx", Frontend().eval(), (torch.randn(2, 8, 100),), ["input_features"], ["frames"],
        [{"input_features": [1, 8, 1]}, {"input_features": [2, 8, 7]}, {"input_features": [3, 8, 3001]}],
        "WhisperEncoder's convolution front end (Conv1d k3 p1, GELU, Conv1d k3 s2 p1, GELU): dynamic batch and "
        "frames, floor((frames + 1)/2) out; TorchScript exporter",
        dynamic_axes={"input_features": {0: "batch", 2: "frames"}, "frames": {0: "batch", 2: "half"}})


@fixture
def vit_interp_pos_fixture():
    t = fm.import_transformers()
    torch.manual_seed(0)
    cfg = t.ViTConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                      image_size=64, patch_size=8, attn_implementation="eager")
    m = t.ViTModel(cfg).eval()

    class Interp(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m(pixel_values=x, interpolate_pos_encoding=True).last_hidden_state
    return torch_fixture(
        "vit_interp_pos.onnx", Interp().eval(), (torch.randn(2, 3, 64, 64),), ["pixel_values"], ["y"],
        [{"pixel_values": [1, 3, 64, 64]}, {"pixel_values": [1, 3, 64, 96]}, {"pixel_values": [2, 3, 97, 113]},
         {"pixel_values": [1, 3, 40, 72]}],
        "transformers ViTModel (image 64, patch 8, 2 layers) with interpolate_pos_encoding=True: the position grid "
        "side is int(64 ** 0.5) (Pow, Cast), the positions are resized bicubically to the patch grid, which keeps "
        "an axis at 64 rows or columns (no interpolation counted there); TorchScript exporter, dynamic N x H x W",
        layout_only=True,
        dynamic_axes={"pixel_values": {0: "batch", 2: "h", 3: "w"}, "y": {0: "batch", 1: "tokens"}})


@fixture
def tf2onnx_nhwc_fixture():
    rng = np.random.default_rng(0)
    p = "StatefulPartitionedCall/model/"
    nodes = [
        helper.make_node("Transpose", ["input_1:0"], ["t0"], perm=[0, 3, 1, 2], name=p + "conv1/Conv2D__6"),
        helper.make_node("Conv", ["t0", "w1", "b1"], ["c1"], kernel_shape=[3, 3], strides=[2, 2],
                         auto_pad="SAME_UPPER", name=p + "conv1/Conv2D"),
        helper.make_node("Relu", ["c1"], ["r1"], name=p + "conv1/Relu"),
        helper.make_node("Conv", ["r1", "wdw", "bdw"], ["c2"], kernel_shape=[3, 3], group=8, pads=[1, 1, 1, 1],
                         name=p + "dw/depthwise"),
        helper.make_node("Clip", ["c2", "zero", "six"], ["r2"], name=p + "dw/Relu6"),
        helper.make_node("MaxPool", ["r2"], ["p1"], kernel_shape=[2, 2], strides=[2, 2], auto_pad="VALID",
                         name=p + "pool/MaxPool"),
        helper.make_node("Transpose", ["p1"], ["t1"], perm=[0, 2, 3, 1], name=p + "pool/MaxPool__12"),
        helper.make_node("Shape", ["t1"], ["sh"], name=p + "reshape/Shape"),
        helper.make_node("Gather", ["sh", "idx0"], ["n"], axis=0, name=p + "reshape/strided_slice"),
        helper.make_node("Unsqueeze", ["n", "ax0"], ["n1"], name=p + "reshape/Reshape/shape_Unsqueeze__20"),
        helper.make_node("Concat", ["n1", "m1", "c8"], ["newshape"], axis=0, name=p + "reshape/Reshape/shape_Concat__21"),
        helper.make_node("Reshape", ["t1", "newshape"], ["flat"], name=p + "reshape/Reshape"),
        helper.make_node("MatMul", ["flat", "wd"], ["mm"], name=p + "dense/MatMul"),
        helper.make_node("Add", ["mm", "bd"], ["ad"], name=p + "dense/BiasAdd"),
        helper.make_node("Softmax", ["ad"], ["dense"], axis=-1, name=p + "dense/Softmax"),
        helper.make_node("ReduceMean", ["dense"], ["out"], axes=[1], keepdims=0, name=p + "gap/Mean"),
    ]
    inits = [weights(rng, "w1", 8, 3, 3, 3), weights(rng, "b1", 8), weights(rng, "wdw", 8, 1, 3, 3),
             weights(rng, "bdw", 8), numpy_helper.from_array(np.array(0, np.float32), "zero"),
             numpy_helper.from_array(np.array(6, np.float32), "six"),
             numpy_helper.from_array(np.array(0, np.int64), "idx0"), ints("ax0", [0]), ints("m1", [-1]),
             ints("c8", [8]), weights(rng, "wd", 8, 5), weights(rng, "bd", 5)]
    x = helper.make_tensor_value_info("input_1:0", TP.FLOAT, ["unk__87", "unk__88", "unk__89", 3])
    y = helper.make_tensor_value_info("out", TP.FLOAT, ["unk__90", 5])
    model = helper.make_model(helper.make_graph(nodes, "tf2onnx", [x], [y], initializer=inits),
                              opset_imports=[helper.make_opsetid("", 13)], producer_name="tf2onnx",
                              producer_version="1.16.1 15c810")
    model.ir_version = 8
    return helper_fixture(
        "tf2onnx_nhwc.onnx", model,
        [{"input_1:0": [1, 64, 64, 3]}, {"input_1:0": [2, 97, 113, 3]}, {"input_1:0": [1, 4, 4, 3]}],
        "tf2onnx-style NHWC Keras export: input [unk__87, unk__88, unk__89, 3], Transpose to NCHW, Conv SAME_UPPER "
        "s2, depthwise Conv, Clip (ReLU6), MaxPool VALID, Transpose back, Shape -> Gather -> Unsqueeze -> Concat "
        "-> Reshape [N, -1, 8], MatMul + BiasAdd, Softmax, ReduceMean", "tf2onnx")


def paddle_nodes(batch_from_shape: bool):
    nodes = []
    if batch_from_shape:
        nodes += [helper.make_node("Shape", ["x"], ["xs"], name="p2o.Shape.9"),
                  helper.make_node("Slice", ["xs", "s0", "s1", "ax0"], ["nb"], name="p2o.Slice.9"),
                  helper.make_node("Concat", ["nb", "four"], ["nc"], axis=0, name="p2o.Concat.9")]
    nodes += [
        helper.make_node("Conv", ["x", "conv2d_0.w_0"], ["p2o.Conv.0"], kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], name="p2o.Conv.0"),
        helper.make_node("BatchNormalization", ["p2o.Conv.0", "bn_scale", "bn_bias", "bn_mean", "bn_var"],
                         ["p2o.BatchNormalization.0"], epsilon=1e-5, name="p2o.BatchNormalization.0"),
        helper.make_node("HardSwish", ["p2o.BatchNormalization.0"], ["p2o.HardSwish.0"], name="p2o.HardSwish.0"),
        helper.make_node("Conv", ["p2o.HardSwish.0", "conv2d_1.w_0"], ["p2o.Conv.1"], kernel_shape=[3, 3],
                         strides=[2, 2], pads=[1, 1, 1, 1], name="p2o.Conv.1"),
        helper.make_node("Shape", ["p2o.HardSwish.0"], ["p2o.Shape.0"], name="p2o.Shape.0"),
        helper.make_node("Slice", ["p2o.Shape.0", "st2", "en4", "ax0"], ["p2o.Slice.0"], name="p2o.Slice.0"),
        helper.make_node("Cast", ["p2o.Slice.0"], ["p2o.Cast.0"], to=TP.INT64, name="p2o.Cast.0"),
        helper.make_node("Concat", ["nc", "p2o.Cast.0"], ["p2o.Concat.0"], axis=0, name="p2o.Concat.0"),
        helper.make_node("Resize", ["p2o.Conv.1", "", "", "p2o.Concat.0"], ["p2o.Resize.0"], mode="linear",
                         coordinate_transformation_mode="half_pixel", name="p2o.Resize.0"),
        helper.make_node("Conv", ["p2o.HardSwish.0", "conv2d_2.w_0"], ["p2o.Conv.2"], kernel_shape=[1, 1],
                         name="p2o.Conv.2"),
        helper.make_node("Add", ["p2o.Resize.0", "p2o.Conv.2"], ["p2o.Add.0"], name="p2o.Add.0"),
        helper.make_node("Sigmoid", ["p2o.Add.0"], ["sigmoid_0.tmp_0"], name="p2o.Sigmoid.0"),
    ]
    return nodes


@fixture
def paddle_db_fixture():
    rng = np.random.default_rng(0)
    inits = [weights(rng, "conv2d_0.w_0", 8, 3, 3, 3), weights(rng, "bn_scale", 8), weights(rng, "bn_bias", 8),
             weights(rng, "bn_mean", 8), numpy_helper.from_array(np.ones(8, np.float32), "bn_var"),
             weights(rng, "conv2d_1.w_0", 4, 8, 3, 3), weights(rng, "conv2d_2.w_0", 4, 8, 1, 1),
             ints("st2", [2]), ints("en4", [4]), ints("ax0", [0]), ints("nc", [1, 4])]
    x = helper.make_tensor_value_info("x", TP.FLOAT, [1, 3, -1, -1])
    y = helper.make_tensor_value_info("sigmoid_0.tmp_0", TP.FLOAT, [1, 4, -1, -1])
    model = helper.make_model(helper.make_graph(paddle_nodes(False), "paddle", [x], [y], initializer=inits),
                              opset_imports=[helper.make_opsetid("", 14)], producer_name="PaddlePaddle")
    model.ir_version = 7
    return helper_fixture(
        "paddle_db.onnx", model, [{"x": [1, 3, 64, 64]}, {"x": [1, 3, 97, 113]}, {"x": [1, 3, 5, 3]}],
        "paddle2onnx-style DB-detector head: input [1, 3, -1, -1] (dims written as -1), p2o.* names, Conv s2, "
        "BatchNormalization, HardSwish, Conv s2, Resize (linear) back to the stride-2 map with sizes = "
        "Concat([1, 4], Cast(Slice(Shape))), 1x1 lateral Conv, Add, Sigmoid", "paddle2onnx")


@fixture
def ort_qdq_fixture():
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 8, 3, 2, 1)
            self.c2 = nn.Conv2d(8, 8, 3, 1, 1, groups=8)
            self.fc = nn.Linear(8, 4)

        def forward(self, x):
            x = torch.relu(self.c1(x))
            x = torch.relu(self.c2(x)) + x
            return self.fc(x.mean((2, 3)))

    rng = np.random.default_rng(0)

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.i = 0

        def get_next(self):
            self.i += 1
            return {"x": rng.standard_normal((1, 3, 32, 32)).astype(np.float32)} if self.i < 4 else None

    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "float.onnx", Path(tmp) / "qdq.onnx"
        fm.torch_export(Net().eval(), (torch.randn(1, 3, 32, 32),), src, ["x"], ["y"],
                        {"x": {0: "batch", 2: "h", 3: "w"}, "y": {0: "batch"}})
        quantize_static(str(src), str(dst), Reader(), quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        points = [{"x": [1, 3, 32, 32]}, {"x": [2, 3, 97, 113]}, {"x": [3, 3, 33, 71]}]
        check = fm.ort_check(dst, points)
        finish(dst, "ort_qdq.onnx", False)
    check.update(description="onnxruntime.quantization.quantize_static QDQ (uint8 activations, int8 weights) of a "
                             "Conv s2 / depthwise Conv / residual Add / mean / Linear net, dynamic N x H x W",
                 layout_only=False, exporter="torch torchscript + onnxruntime.quantization")
    return "ort_qdq.onnx", check


def main(names):
    OUT.mkdir(parents=True, exist_ok=True)
    checks = json.loads(CHECKS.read_text()) if CHECKS.exists() else {}
    for key, fn in FIXTURES.items():
        if names and key not in names:
            continue
        print("==", key, flush=True)
        name, entry = fn()
        checks["formula/heldout/" + name] = entry
    CHECKS.write_text(json.dumps(dict(sorted(checks.items())), indent=1) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    main(sys.argv[1:])
