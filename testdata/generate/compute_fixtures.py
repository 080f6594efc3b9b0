#!/usr/bin/env python3
"""Writes the compute fixtures in testdata/compute/ and testdata/expected-compute.json.

For each fixture the expected figures are taken from the real tools at generation time:

  flops / macs   torch.utils.flop_counter.FlopCounterMode on the torch model, at the input shapes
                 the test uses (FlopCounterMode counts 2 per multiply-add of conv, mm/bmm/addmm and
                 attention; macs = flops / 2). Models built with onnx.helper (control flow,
                 com.microsoft contrib ops) have no torch twin: their MACs are written out by the
                 formula in the entry's "framework.note", from the same conventions.
  outputs        every graph output's shape as onnxruntime returns it, running the model with its
                 real weights before the weights are stripped.

Big models are *layout-only*: float initializers over 1 KiB become external data and the data
file is deleted, so only the graph and the tensor metadata are committed (modeltally never reads
weight bytes). Node metadata_props and doc strings are dropped to keep files small; nothing else in
the exported graph is changed. The 80 torchvision classification models (compute/torchvision/) are
also gzipped (NAME.onnx.gz, about 13:1); ComputeFixtureTest unzips each to a temporary folder.

Entry fields (read by ComputeFixtureTest):
  input_shapes   {input name: dims} passed as --input-shape; optional
  batch          passed as --batch; optional
  macs, flops    expected totals
  tolerance      relative tolerance (0 = exact)
  outputs        [{name, shape}] from onnxruntime
  complete       true when every node must have a rule and resolved shapes
  findings / absent_findings   finding codes that must / must not be reported
  framework      where the figure comes from

Run:  /work/venv-fixtures/bin/python testdata/generate/compute_fixtures.py [name ...]
      (torch, torchvision, onnx, onnxruntime, transformers; see testdata/generate/setup-venv.sh and
      testdata/README.md). With names, only those fixtures are rebuilt; others keep their entries.
"""

from __future__ import annotations

import gzip
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
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from onnx.external_data_helper import convert_model_to_external_data
from torch.utils.flop_counter import FlopCounterMode

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "testdata" / "compute"
EXPECTED = REPO / "testdata" / "expected-compute.json"
OPSET = 17
BUDGET = 4 * 1024 * 1024

warnings.filterwarnings("ignore")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def flop_count(model: nn.Module, *inputs) -> int:
    # oneDNN's fused LSTM kernel is invisible to FlopCounterMode (it would count no LSTM at all);
    # with oneDNN off, the LSTM runs as the addmm calls it is made of, and they are counted. Likewise
    # nn.MultiheadAttention's inference fast path (_native_multi_head_attention) is not counted at
    # all (ViT-B/16 would lose its projections and attention, 36%); without it the same module runs
    # as linear + scaled_dot_product_attention, which are.
    fastpath = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    try:
        with torch.backends.mkldnn.flags(enabled=False), torch.no_grad(), \
                FlopCounterMode(display=False) as counter:
            model(*inputs)
    finally:
        torch.backends.mha.set_fastpath_enabled(fastpath)
    return int(counter.get_total_flops())


def random_feed(session: ort.InferenceSession, shapes: dict[str, list[int]], int_high: int = 100) -> dict:
    rng = np.random.default_rng(0)
    feed = {}
    for i in session.get_inputs():
        shape = shapes[i.name]
        if "int64" in i.type:
            feed[i.name] = rng.integers(0, int_high, size=shape, dtype=np.int64)
        elif "int32" in i.type:
            feed[i.name] = rng.integers(0, int_high, size=shape, dtype=np.int32)
        elif "bool" in i.type:
            feed[i.name] = np.ones(shape, dtype=bool)
        else:
            feed[i.name] = rng.standard_normal(shape).astype(np.float32)
    return feed


def ort_outputs(path: Path, shapes: dict[str, list[int]], int_high: int = 100, feed: dict | None = None) -> list:
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    if feed is None:
        feed = random_feed(session, shapes, int_high)
    results = session.run(None, feed)
    return [{"name": o.name, "shape": list(r.shape)} for o, r in zip(session.get_outputs(), results)]


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


def layout_only_model(src: Path, data_name: str) -> onnx.ModelProto:
    """The exported model without metadata, its float initializers over 1 KiB pointed at external
    data DATA_NAME (a file that is never written or kept)."""
    model = onnx.load(str(src), load_external_data=True)
    strip_metadata(model)
    convert_model_to_external_data(model, all_tensors_to_one_file=True, location=data_name,
                                   size_threshold=1024, convert_attribute=False)
    return model


def finish(src: Path, name: str, layout_only: bool) -> Path:
    """Copies the exported model to testdata/compute/NAME, layout-only when asked."""
    dst = OUT / name
    data = OUT / (name + ".data")
    for p in (dst, data):
        if p.exists():
            p.unlink()
    if layout_only:
        onnx.save_model(layout_only_model(src, data.name), str(dst))
        data.unlink(missing_ok=True)
    else:
        model = onnx.load(str(src), load_external_data=True)
        strip_metadata(model)
        onnx.save_model(model, str(dst))
    return dst


def export(model: nn.Module, args: tuple, path: Path, input_names, output_names, dynamic_axes=None,
           dynamo=False, dynamic_shapes=None) -> None:
    model.eval()
    if dynamo:
        torch.onnx.export(model, args, str(path), dynamo=True, opset_version=18, input_names=input_names,
                          output_names=output_names, dynamic_shapes=dynamic_shapes, external_data=True)
    else:
        torch.onnx.export(model, args, str(path), dynamo=False, opset_version=OPSET, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic_axes, do_constant_folding=True)


def torch_entry(flops: int, note: str) -> dict:
    return {"name": "torch " + torch.__version__.split("+")[0], "flop_counter": "torch.utils.flop_counter.FlopCounterMode",
            "note": note}


# --------------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------------

def vgg16() -> nn.Module:
    return vgg(16)


def vgg(depth: int) -> nn.Module:
    """torchvision.models.vgg16 / vgg19, layer for layer (torchvision is not in the venv)."""
    cfg = {16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
           19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512,
                "M"]}[depth]
    layers, c = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU(inplace=True)]
            c = v

    class VGG(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(*layers)
            self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
            self.classifier = nn.Sequential(nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
                                            nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000))

        def forward(self, x):
            x = self.avgpool(self.features(x))
            return self.classifier(torch.flatten(x, 1))
    return VGG()


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


def resnet50() -> nn.Module:
    """torchvision.models.resnet50, layer for layer."""
    class ResNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.inplanes = 64
            self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
            self.bn1 = nn.BatchNorm2d(64)
            self.relu = nn.ReLU(inplace=True)
            self.maxpool = nn.MaxPool2d(3, 2, 1)
            self.layer1 = self._make(64, 3)
            self.layer2 = self._make(128, 4, 2)
            self.layer3 = self._make(256, 6, 2)
            self.layer4 = self._make(512, 3, 2)
            self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
            self.fc = nn.Linear(2048, 1000)

        def _make(self, planes, blocks, stride=1):
            down = None
            if stride != 1 or self.inplanes != planes * 4:
                down = nn.Sequential(nn.Conv2d(self.inplanes, planes * 4, 1, stride, bias=False),
                                     nn.BatchNorm2d(planes * 4))
            layers = [Bottleneck(self.inplanes, planes, stride, down)]
            self.inplanes = planes * 4
            layers += [Bottleneck(self.inplanes, planes) for _ in range(1, blocks)]
            return nn.Sequential(*layers)

        def forward(self, x):
            x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.fc(torch.flatten(self.avgpool(x), 1))
    return ResNet()


def unet(base=32, in_ch=1, classes=2) -> nn.Module:
    """The classic UNet: two 3x3 convs per level (bias, no BN), max-pool down, 2x2 transposed conv up."""
    def double(ci, co):
        return nn.Sequential(nn.Conv2d(ci, co, 3, padding=1), nn.ReLU(True), nn.Conv2d(co, co, 3, padding=1),
                             nn.ReLU(True))

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            ch = [base * 2 ** i for i in range(5)]
            self.downs = nn.ModuleList([double(in_ch, ch[0])] + [double(ch[i], ch[i + 1]) for i in range(4)])
            self.ups = nn.ModuleList([nn.ConvTranspose2d(ch[i + 1], ch[i], 2, 2) for i in reversed(range(4))])
            self.dec = nn.ModuleList([double(ch[i + 1], ch[i]) for i in reversed(range(4))])
            self.head = nn.Conv2d(ch[0], classes, 1)

        def forward(self, x):
            skips = []
            for i, d in enumerate(self.downs):
                x = d(x)
                if i < 4:
                    skips.append(x)
                    x = F.max_pool2d(x, 2)
            for up, dec, skip in zip(self.ups, self.dec, reversed(skips)):
                x = dec(torch.cat([skip, up(x)], 1))
            return self.head(x)
    return UNet()


def cnn_seed() -> nn.Module:
    """The seed CNN of reference-counts.md, channels-first."""
    return nn.Sequential(nn.Conv2d(3, 512, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2), nn.Conv2d(512, 256, 3, 2),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(15 * 15 * 256, 128), nn.ReLU(),
                         nn.Linear(128, 10))


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(32, 64, num_layers=2, bidirectional=True, batch_first=True)
        self.gru = nn.GRU(128, 48, batch_first=True)
        self.rnn = nn.RNN(48, 16, batch_first=True)

    def forward(self, x):
        y, _ = self.lstm(x)
        y, _ = self.gru(y)
        y, _ = self.rnn(y)
        return y


class DynamicCnn(nn.Module):
    """Flattens with x.view(x.size(0), -1): a Shape -> Gather -> Concat -> Reshape chain when exported."""
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, padding=1)
        self.c2 = nn.Conv2d(8, 16, 3, stride=2)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2, ceil_mode=True)
        x = F.relu(self.c2(x))
        x = x.view(x.size(0), -1)
        return self.fc(x)


class NanoGpt(nn.Module):
    """nanoGPT: every view/reshape target is computed from x.size(), so shapes need value propagation."""
    def __init__(self, vocab=128, block=32, layers=2, heads=4, dim=64):
        super().__init__()
        self.heads = heads
        self.wte = nn.Embedding(vocab, dim)
        self.wpe = nn.Embedding(block, dim)
        self.blocks = nn.ModuleList()
        for _ in range(layers):
            self.blocks.append(nn.ModuleDict(dict(ln1=nn.LayerNorm(dim), qkv=nn.Linear(dim, 3 * dim),
                                                  proj=nn.Linear(dim, dim), ln2=nn.LayerNorm(dim),
                                                  fc=nn.Linear(dim, 4 * dim), out=nn.Linear(4 * dim, dim))))
        self.ln_f = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)
        self.lm_head.weight = self.wte.weight
        self.register_buffer("mask", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

    def forward(self, idx):
        b, t = idx.size()
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device)
        x = self.wte(idx) + self.wpe(pos)
        for blk in self.blocks:
            h = blk["ln1"](x)
            q, k, v = blk["qkv"](h).split(h.size(-1), dim=2)
            c = h.size(-1)
            q = q.view(b, t, self.heads, c // self.heads).transpose(1, 2)
            k = k.view(b, t, self.heads, c // self.heads).transpose(1, 2)
            v = v.view(b, t, self.heads, c // self.heads).transpose(1, 2)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
            y = F.softmax(att, dim=-1) @ v
            y = y.transpose(1, 2).contiguous().view(b, t, c)
            x = x + blk["proj"](y)
            x = x + blk["out"](F.gelu(blk["fc"](blk["ln2"](x))))
        return self.lm_head(self.ln_f(x))


class ConvZoo(nn.Module):
    """Convolution and pooling variants: 1D, 3D, grouped, depthwise, dilated, transposed with
    output_padding and groups, ceil-mode pooling, resize, normalization layers, einsum."""
    def __init__(self):
        super().__init__()
        self.c1d = nn.Conv1d(4, 8, 5, stride=2, padding=1, dilation=2)
        self.c3d = nn.Conv3d(2, 4, 3, stride=(1, 2, 2), padding=1)
        self.grouped = nn.Conv2d(8, 16, 3, padding=1, groups=4)
        self.depthwise = nn.Conv2d(16, 32, 3, stride=2, padding=1, groups=16, bias=False)
        self.pointwise = nn.Conv2d(32, 24, 1)
        self.dilated = nn.Conv2d(24, 24, 3, padding=2, dilation=2)
        self.up = nn.ConvTranspose2d(24, 12, 3, stride=2, padding=1, output_padding=1, groups=2)
        self.up1d = nn.ConvTranspose1d(8, 6, 4, stride=3, padding=2, output_padding=1, dilation=2)
        self.bn = nn.BatchNorm2d(12)
        self.gn = nn.GroupNorm(3, 12)
        self.inorm = nn.InstanceNorm2d(12, affine=True)
        self.ln = nn.LayerNorm(12)
        self.fc = nn.Linear(12, 7)

    def forward(self, x2, x1, x3):
        a = F.relu(self.grouped(x2))
        a = self.pointwise(self.depthwise(a))
        a = F.max_pool2d(F.relu(self.dilated(a)), 3, stride=2, padding=1, ceil_mode=True)
        a = self.up(a)
        a = self.inorm(self.gn(torch.sigmoid(self.bn(a))))
        a = F.interpolate(a, scale_factor=2.0, mode="nearest")
        a = F.avg_pool2d(a, 2, ceil_mode=True, count_include_pad=False)
        t = self.ln(a.permute(0, 2, 3, 1))
        t = self.fc(t)
        e = torch.einsum("bhwc,bhwd->bcd", t, t)
        b = self.up1d(F.relu(self.c1d(x1)))
        c = F.adaptive_avg_pool3d(self.c3d(x3), 1).flatten(1)
        return e, b, c.softmax(-1)


class QuantSource(nn.Module):
    """A small conv + MLP whose linears see 3-D inputs, so they export as MatMul (quantizable)."""
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc1 = nn.Linear(32, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.c2(F.relu(self.c1(x))))
        x = x.flatten(2).transpose(1, 2)
        return self.fc2(F.relu(self.fc1(x)))


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------

FIXTURES = {}


def fixture(fn):
    FIXTURES[fn.__name__] = fn
    return fn


def simple_torch_fixture(name, model, inputs, input_names, output_names, layout_only, description,
                         dynamic_axes=None, test_shapes=None, batch=None, findings=None, absent=None,
                         dynamo=False, dynamic_shapes=None, tolerance=0.0, extra=None, int_high=100,
                         export_inputs=None):
    torch.manual_seed(0)
    model.eval()
    flops = flop_count(model, *inputs)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "model.onnx"
        export(model, tuple(export_inputs or inputs), src, input_names, output_names, dynamic_axes, dynamo,
               dynamic_shapes)
        shapes = test_shapes or {n: list(t.shape) for n, t in zip(input_names, inputs)}
        outputs = ort_outputs(src, shapes, int_high)
        finish(src, name, layout_only)
    entry = {"description": description, "flops": flops, "macs": flops // 2, "tolerance": tolerance,
             "outputs": outputs, "complete": True, "layout_only": layout_only,
             "framework": torch_entry(flops, "FlopCounterMode at " + json.dumps(shapes))}
    if test_shapes:
        entry["input_shapes"] = test_shapes
    if batch:
        entry["batch"] = batch
    if findings:
        entry["findings"] = findings
    if absent:
        entry["absent_findings"] = absent
    if extra:
        entry.update(extra)
    return entry


@fixture
def vgg16_fixture():
    torch.manual_seed(0)
    x = torch.randn(1, 3, 224, 224)
    return "compute/vgg16.onnx", simple_torch_fixture(
        "vgg16.onnx", vgg16(), [x], ["input"], ["output"], True,
        "VGG16 (torchvision layout), 1x3x224x224: 30,940,528,640 FLOPs",
        absent=["weight-shape-mismatch", "batchnorm-folded"])


def stored_parameters(path: Path) -> int:
    """Elements of the floating-point initializers (the parameter rule for these fixtures)."""
    model = onnx.load(str(path), load_external_data=False)
    floats = {TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE, TensorProto.BFLOAT16}
    return sum(math.prod(t.dims) for t in model.graph.initializer if t.data_type in floats)


@fixture
def resnet50_fixture():
    torch.manual_seed(0)
    x = torch.randn(1, 3, 224, 224)
    model = resnet50()
    bn_channels = sum(m.num_features for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    key, entry = "compute/resnet50.onnx", simple_torch_fixture(
        "resnet50.onnx", model, [x], ["input"], ["output"], True,
        "ResNet-50 (torchvision layout); the exporter folds BatchNormalization into the convolutions",
        findings=["batchnorm-folded"], absent=["weight-shape-mismatch"])
    entry["framework_parameters"] = sum(p.numel() for p in model.parameters())
    entry["stored_parameters"] = stored_parameters(OUT / "resnet50.onnx")
    entry["finding_messages"] = {"batchnorm-folded": [f"{bn_channels:,} more parameters",
                                                      f"{2 * bn_channels:,} running-statistics"]}
    entry["note"] = ("the torch model has 25,557,032 parameters; a trained export stores 25,530,472. This "
                     "random-init export stores fewer still: the folded biases of equal-width convolutions "
                     "are all zero, and the exporter stores identical tensors once (behind Identity nodes)")
    return key, entry


@fixture
def unet_fixture():
    torch.manual_seed(0)
    x = torch.randn(1, 1, 256, 256)
    return "compute/unet.onnx", simple_torch_fixture(
        "unet.onnx", unet(), [x], ["input"], ["output"], True,
        "UNet base 32, 1 input channel, 2 classes, 1x1x256x256 (7,759,554 parameters)",
        absent=["weight-shape-mismatch"])


@fixture
def cnn_seed_fixture():
    torch.manual_seed(0)
    x = torch.randn(1, 3, 128, 128)
    return "compute/cnn_seed.onnx", simple_torch_fixture(
        "cnn_seed.onnx", cnn_seed(), [x], ["input"], ["output"], True,
        "seed CNN: Conv(512,5x5,same) -> MaxPool(3,s2) -> Conv(256,3x3,s2) -> MaxPool -> Dense(128) -> Dense(10)")


@fixture
def recurrent_fixture():
    torch.manual_seed(0)
    x = torch.randn(1, 20, 32)
    return "compute/recurrent.onnx", simple_torch_fixture(
        "recurrent.onnx", Recurrent(), [x], ["input"], ["output"], True,
        "LSTM(32->64, 2 layers, bidirectional) -> GRU(128->48) -> RNN(48->16), 20 steps")


@fixture
def dynamic_batch_fixture():
    torch.manual_seed(0)
    return "compute/dynamic_batch.onnx", simple_torch_fixture(
        "dynamic_batch.onnx", DynamicCnn(), [torch.randn(4, 3, 32, 32)], ["input"], ["logits"], False,
        "small CNN exported from a batch-2 trace with a dynamic batch; analysed with --batch 4",
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, batch=4,
        export_inputs=[torch.randn(2, 3, 32, 32)])


@fixture
def nanogpt_fixture():
    torch.manual_seed(0)
    idx = torch.randint(0, 128, (2, 16))
    return "compute/nanogpt.onnx", simple_torch_fixture(
        "nanogpt.onnx", NanoGpt(), [idx], ["idx"], ["logits"], True,
        "nanoGPT (2 layers, 4 heads, 64 dims) with dynamic batch and sequence: every view() target is "
        "Shape -> Gather -> Concat; analysed with --input-shape idx=2x16",
        dynamic_axes={"idx": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}},
        test_shapes={"idx": [2, 16]}, findings=["shared-weight"])


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
def gpt2_fixture():
    from transformers import GPT2Config, GPT2LMHeadModel
    torch.manual_seed(0)
    m = GPT2LMHeadModel(GPT2Config(attn_implementation="eager", use_cache=False)).eval()
    ids = torch.randint(0, 50257, (1, 64))
    trace = torch.randint(0, 50257, (2, 64))  # torch.export specialises a size-1 batch dim
    b = torch.export.Dim("batch")
    s = torch.export.Dim("sequence", max=1024)
    return "compute/gpt2.onnx", simple_torch_fixture(
        "gpt2.onnx", hf_wrapper(m, ["logits"]), [ids], ["input_ids"], ["logits"], True, export_inputs=[trace],
        description=
        "GPT-2 small config (124,439,808 parameters, random init, transformers) exported with the dynamo "
        "exporter, dynamic batch and sequence; analysed with --input-shape input_ids=1x64",
        dynamo=True, dynamic_shapes=({0: b, 1: s},), test_shapes={"input_ids": [1, 64]}, int_high=50257)


@fixture
def bert_fixture():
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    m = BertModel(BertConfig(attn_implementation="eager")).eval()
    ids = torch.randint(0, 30522, (1, 128))
    mask = torch.ones(1, 128, dtype=torch.long)
    trace = [torch.randint(0, 30522, (2, 32)), torch.ones(2, 32, dtype=torch.long)]
    return "compute/bert_base.onnx", simple_torch_fixture(
        "bert_base.onnx", hf_wrapper(m, ["last_hidden_state", "pooler_output"]), [ids, mask],
        ["input_ids", "attention_mask"], ["last_hidden_state", "pooler_output"], True, export_inputs=trace,
        description=
        "BERT-base config (109,482,240 parameters, random init, transformers, eager attention), TorchScript "
        "exporter with dynamic batch and sequence; analysed with --input-shape at 1x128",
        dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}},
        test_shapes={"input_ids": [1, 128], "attention_mask": [1, 128]}, int_high=2)


@fixture
def bert_fused_fixture():
    """A small BERT after onnxruntime's transformer optimizer: com.microsoft SkipLayerNormalization, BiasGelu."""
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    cfg = BertConfig(vocab_size=1000, hidden_size=128, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=512, attn_implementation="eager")
    m = hf_wrapper(BertModel(cfg).eval(), ["last_hidden_state", "pooler_output"]).eval()
    ids = torch.randint(0, 1000, (1, 24))
    mask = torch.ones(1, 24, dtype=torch.long)
    flops = flop_count(m, ids, mask)
    shapes = {"input_ids": [1, 24], "attention_mask": [1, 24]}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "bert.onnx"
        export(m, (ids, mask), src, ["input_ids", "attention_mask"], ["last_hidden_state", "pooler_output"],
               {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"}})
        fused = Path(tmp) / "fused.onnx"
        optimize_model(str(src), model_type="bert", num_heads=2, hidden_size=128).save_model_to_file(str(fused))
        outputs = ort_outputs(fused, shapes, 2)
        finish(fused, "bert_fused.onnx", True)
    return "compute/bert_fused.onnx", {
        "description": "BERT (2 layers, 128 hidden) after onnxruntime.transformers.optimizer: com.microsoft "
                       "SkipLayerNormalization and BiasGelu; --input-shape 1x24",
        "flops": flops, "macs": flops // 2, "tolerance": 0.0, "outputs": outputs, "complete": True,
        "layout_only": True, "input_shapes": shapes,
        "framework": torch_entry(flops, "FlopCounterMode on the unfused torch model at 1x24")}


@fixture
def conv_zoo_fixture():
    torch.manual_seed(0)
    inputs = [torch.randn(1, 8, 40, 40), torch.randn(1, 4, 50), torch.randn(1, 2, 6, 16, 16)]
    return "compute/conv_zoo.onnx", simple_torch_fixture(
        "conv_zoo.onnx", ConvZoo(), inputs, ["x2", "x1", "x3"], ["einsum", "conv1d", "conv3d"], False,
        "1D/3D, grouped, depthwise, dilated and transposed convolutions (output_padding, groups), ceil-mode "
        "pooling, resize, BatchNorm/GroupNorm/InstanceNorm/LayerNorm, Einsum")


def quantized(name, mode):
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic, \
        quantize_static
    torch.manual_seed(0)
    m = QuantSource().eval()
    x = torch.randn(1, 3, 16, 16)
    flops = flop_count(m, x)
    shapes = {"input": [1, 3, 16, 16]}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "float.onnx"
        export(m, (x,), src, ["input"], ["output"])
        q = Path(tmp) / "q.onnx"
        if mode == "dynamic":
            quantize_dynamic(str(src), str(q), weight_type=QuantType.QUInt8)
        else:
            class Reader(CalibrationDataReader):
                def __init__(self):
                    rng = np.random.default_rng(0)
                    self.items = iter([{"input": rng.standard_normal((1, 3, 16, 16)).astype(np.float32)}
                                       for _ in range(4)])

                def get_next(self):
                    return next(self.items, None)
            fmt = QuantFormat.QOperator if mode == "qoperator" else QuantFormat.QDQ
            quantize_static(str(src), str(q), Reader(), quant_format=fmt, activation_type=QuantType.QUInt8,
                            weight_type=QuantType.QInt8)
        outputs = ort_outputs(q, shapes)
        finish(q, name, False)
    return "compute/" + name, {
        "description": f"QuantSource quantized with onnxruntime.quantization ({mode})",
        "flops": flops, "macs": flops // 2, "tolerance": 0.0, "outputs": outputs, "complete": True,
        "layout_only": False, "framework": torch_entry(flops, "FlopCounterMode on the float torch model; "
                                                              "integer MACs count as MACs")}


@fixture
def quantized_dynamic_fixture():
    return quantized("quantized_dynamic.onnx", "dynamic")


@fixture
def quantized_qoperator_fixture():
    return quantized("quantized_qoperator.onnx", "qoperator")


@fixture
def quantized_qdq_fixture():
    return quantized("quantized_qdq.onnx", "qdq")


def float_init(name, shape, rng):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) * 0.1, name)


@fixture
def control_flow_fixture():
    """Loop (trip count 3), If (condition from the input's shape), Scan (5 steps) -- made with onnx.helper."""
    rng = np.random.default_rng(0)
    d = 16
    f = TensorProto.FLOAT
    # Loop body: (iter, cond, x) -> (cond, x @ W, x @ W as scan output)
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("MatMul", ["x_in", "W_loop"], ["mm"]),
         helper.make_node("Relu", ["mm"], ["x_out"]),
         helper.make_node("Identity", ["x_out"], ["scan_out"])],
        "loop_body",
        [helper.make_tensor_value_info("iter", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("x_in", f, [1, d])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("x_out", f, [1, d]),
         helper.make_tensor_value_info("scan_out", f, [1, d])])
    then_g = helper.make_graph([helper.make_node("MatMul", ["loop_x", "W_then"], ["then_out"])], "then",
                               [], [helper.make_tensor_value_info("then_out", f, None)])
    else_g = helper.make_graph([helper.make_node("Add", ["loop_x", "loop_x"], ["else_out"])], "else",
                               [], [helper.make_tensor_value_info("else_out", f, None)])
    scan_body = helper.make_graph(
        [helper.make_node("MatMul", ["h", "W_h"], ["hh"]),
         helper.make_node("MatMul", ["xt", "W_x"], ["xx"]),
         helper.make_node("Add", ["hh", "xx"], ["s"]),
         helper.make_node("Tanh", ["s"], ["h_next"]),
         helper.make_node("Identity", ["h_next"], ["y_t"])],
        "scan_body",
        [helper.make_tensor_value_info("h", f, [1, d]), helper.make_tensor_value_info("xt", f, [1, 8])],
        [helper.make_tensor_value_info("h_next", f, [1, d]), helper.make_tensor_value_info("y_t", f, [1, d])])
    nodes = [
        helper.make_node("Loop", ["trip", "cond", "x"], ["loop_x", "loop_scan"], body=body, name="loop"),
        helper.make_node("Shape", ["x"], ["x_shape"]),
        helper.make_node("Gather", ["x_shape", "one"], ["width"], axis=0),
        helper.make_node("Greater", ["width", "eight"], ["is_wide"]),
        helper.make_node("If", ["is_wide"], ["if_out"], then_branch=then_g, else_branch=else_g, name="if"),
        helper.make_node("Scan", ["if_out", "seq"], ["h_final", "ys"], body=scan_body, num_scan_inputs=1,
                         name="scan"),
    ]
    graph = helper.make_graph(
        nodes, "control_flow",
        [helper.make_tensor_value_info("x", f, [1, d]), helper.make_tensor_value_info("seq", f, [5, 1, 8])],
        [helper.make_tensor_value_info("h_final", f, None), helper.make_tensor_value_info("ys", f, None),
         helper.make_tensor_value_info("loop_scan", f, None)],
        [float_init("W_loop", [d, d], rng), float_init("W_then", [d, d], rng), float_init("W_h", [d, d], rng),
         float_init("W_x", [8, d], rng), numpy_helper.from_array(np.array(3, dtype=np.int64), "trip"),
         numpy_helper.from_array(np.array(True), "cond"), numpy_helper.from_array(np.array(1, dtype=np.int64), "one"),
         numpy_helper.from_array(np.array(8, dtype=np.int64), "eight")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="onnx.helper")
    model.ir_version = 8
    path = OUT / "control_flow.onnx"
    onnx.save_model(model, str(path))
    outputs = ort_outputs(path, {"x": [1, d], "seq": [5, 1, 8]})
    macs = 3 * d * d + d * d + 5 * (d * d + 8 * d)
    return "compute/control_flow.onnx", {
        "description": "Loop x3 over MatMul 16x16, If on Shape(x)[1] > 8 (then: MatMul), Scan over 5 steps",
        "macs": macs, "flops": 2 * macs, "tolerance": 0.0, "outputs": outputs, "complete": True, "assumed": [],
        "layout_only": False,
        "framework": {"name": "formula", "note": "loop 3*16*16 + then-branch 16*16 + scan 5*(16*16 + 8*16)"}}


@fixture
def contrib_attention_fixture():
    """com.microsoft Attention and MultiHeadAttention, ONNX Attention (opset 23 is not used: ORT CPU)."""
    rng = np.random.default_rng(0)
    b, s, hidden, heads = 2, 10, 32, 4
    f = TensorProto.FLOAT
    nodes = [
        helper.make_node("Attention", ["x", "qkv_w", "qkv_b"], ["attn"], domain="com.microsoft", num_heads=heads,
                         name="attention"),
        helper.make_node("MatMul", ["attn", "q_w"], ["q"]),
        helper.make_node("MatMul", ["x", "k_w"], ["k"]),
        helper.make_node("MatMul", ["x", "v_w"], ["v"]),
        helper.make_node("MultiHeadAttention", ["q", "k", "v"], ["mha"], domain="com.microsoft", num_heads=heads,
                         name="mha"),
        helper.make_node("SkipLayerNormalization", ["mha", "attn", "ln_g", "ln_b"], ["ln"], domain="com.microsoft",
                         name="skip_ln"),
        helper.make_node("FastGelu", ["ln"], ["out"], domain="com.microsoft", name="gelu"),
    ]
    graph = helper.make_graph(
        nodes, "contrib_attention", [helper.make_tensor_value_info("x", f, ["batch", "sequence", hidden])],
        [helper.make_tensor_value_info("out", f, None)],
        [float_init("qkv_w", [hidden, 3 * hidden], rng), float_init("qkv_b", [3 * hidden], rng),
         float_init("q_w", [hidden, hidden], rng), float_init("k_w", [hidden, hidden], rng),
         float_init("v_w", [hidden, hidden], rng), float_init("ln_g", [hidden], rng),
         float_init("ln_b", [hidden], rng)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                    helper.make_opsetid("com.microsoft", 1)],
                              producer_name="onnx.helper")
    model.ir_version = 8
    path = OUT / "contrib_attention.onnx"
    onnx.save_model(model, str(path))
    outputs = ort_outputs(path, {"x": [b, s, hidden]})
    proj = b * s * hidden * 3 * hidden
    scores = 2 * b * s * s * hidden  # Q.K^T and P.V, all heads together
    macs = proj + scores + 3 * b * s * hidden * hidden + scores
    return "compute/contrib_attention.onnx", {
        "description": "com.microsoft Attention, MultiHeadAttention, SkipLayerNormalization, FastGelu",
        "macs": macs, "flops": 2 * macs, "tolerance": 0.0, "outputs": outputs, "complete": True,
        "layout_only": False, "input_shapes": {"x": [b, s, hidden]},
        "framework": {"name": "formula",
                      "note": "Attention: B*S*H*3H + 2*B*S*S*H; three MatMuls B*S*H*H; MultiHeadAttention 2*B*S*S*H"}}


LIGHT = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"


@fixture
def light_models_fixture():
    """The ONNX backend test suite's "light" models (onnx package, Apache-2.0): real model zoo graphs
    whose weights are all made at run time by ConstantOfShape. Output shapes from onnxruntime (and the
    suite's own reference output); MACs only for VGG19 and ResNet-50, whose torch twins FlopCounterMode
    can count (the Caffe2 ResNet-50 strides its 3x3 convolutions like torchvision's)."""
    entries = []
    for src in sorted(LIGHT.glob("light_*.onnx")):
        name = src.name
        shutil.copyfile(src, OUT / name)
        model = onnx.load(str(src))
        shapes = {i.name: [d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input}
        outputs = ort_outputs(OUT / name, shapes)
        reference = onnx.TensorProto()
        reference.ParseFromString((LIGHT / name.replace(".onnx", "_output_0.pb")).read_bytes())
        assert outputs[0]["shape"] == list(reference.dims), (name, outputs, reference.dims)
        entry = {"description": f"onnx backend test data '{name}': weights synthesized by ConstantOfShape",
                 "macs": None, "flops": None, "tolerance": 0.0, "outputs": outputs, "complete": True,
                 "layout_only": False, "findings": ["synthesized-weight"],
                 "framework": {"name": "onnxruntime " + ort.__version__, "note": "output shapes only"}}
        twin = {"light_vgg19.onnx": ("VGG19", lambda: vgg(19)), "light_resnet50.onnx": ("ResNet-50", resnet50)}
        if name in twin:
            label, make = twin[name]
            flops = flop_count(make().eval(), torch.randn(1, 3, 224, 224))
            entry.update({"macs": flops // 2, "flops": flops, "framework": torch_entry(
                flops, f"FlopCounterMode on the torchvision-layout {label} at 1x3x224x224 (same layer sizes)")})
        entries.append(("compute/" + name, entry))
    return entries


def import_torchvision():
    """torchvision with the CPU torch of this venv. Its wheel is built against CUDA torch, so its C++
    ops (nms, roi_align, ...) do not load, and registering their meta kernels fails at import; the
    classification models never use them, so that one registration module is skipped."""
    import types
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
    import torchvision
    return torchvision


def gzip_layout_only(src: Path, dst: Path) -> None:
    """The exported graph without its weight bytes (external data, file absent), gzipped (graphs
    compress about 13:1; the tests unzip them to a temporary folder). mtime 0: reproducible bytes."""
    model = layout_only_model(src, dst.name[:-3] + ".data")
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / dst.name[:-3]
        onnx.save_model(model, str(plain))
        with open(dst, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
            gz.write(plain.read_bytes())


@fixture
def torchvision_fixture():
    """Every torchvision classification model (random init, no download), exported from a batch-2
    trace with a dynamic batch and analysed at --batch 3: every shape must resolve and the FLOPs must
    be FlopCounterMode's at batch 3 (the issue's target for shape inference). TORCHVISION_MODELS=a,b
    rebuilds only those."""
    from torch.nn.attention import SDPBackend, sdpa_kernel
    tv = import_torchvision()
    folder = OUT / "torchvision"
    folder.mkdir(exist_ok=True)
    entries = []
    only = [n for n in os.environ.get("TORCHVISION_MODELS", "").split(",") if n]  # to rebuild a few
    for name in tv.models.list_models(module=tv.models):
        if only and name not in only:
            continue
        size = 299 if name == "inception_v3" else 224
        torch.manual_seed(0)
        model = tv.models.get_model(name).eval()
        # The CPU's fused scaled_dot_product_attention kernel is not counted by FlopCounterMode (ViT
        # would lose its attention products, 4%); the math backend runs it as counted bmm calls.
        with sdpa_kernel(SDPBackend.MATH):
            flops = flop_count(model, torch.randn(3, 3, size, size))
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "model.onnx"
            export(model, (torch.randn(2, 3, size, size),), src, ["input"], ["output"],
                   {"input": {0: "batch"}, "output": {0: "batch"}})
            outputs = ort_outputs(src, {"input": [3, 3, size, size]})
            gzip_layout_only(src, folder / (name + ".onnx.gz"))
        params = sum(p.numel() for p in model.parameters())
        entries.append((f"compute/torchvision/{name}.onnx.gz", {
            "description": f"torchvision {name} ({params:,} parameters), dynamic batch, at --batch 3",
            "flops": flops, "macs": flops // 2, "tolerance": 0.0, "outputs": outputs, "complete": True,
            "layout_only": True, "batch": 3, "framework_parameters": params,
            "framework": torch_entry(flops, f"FlopCounterMode on torchvision {tv.__version__.split('+')[0]} "
                                            f"{name} at 3x3x{size}x{size}")}))
        print(f"  {name}: {flops:,} FLOPs", flush=True)
        del model
    return entries


# --------------------------------------------------------------------------------------------

def main(argv):
    OUT.mkdir(parents=True, exist_ok=True)
    expected = {"fixtures": {}}
    if EXPECTED.exists():
        expected = json.loads(EXPECTED.read_text())
    names = argv[1:] or list(FIXTURES)
    for name in names:
        fn = FIXTURES.get(name) or FIXTURES.get(name + "_fixture")
        if fn is None:
            sys.exit(f"unknown fixture {name}; known: {', '.join(FIXTURES)}")
        made = fn()
        for key, entry in (made if isinstance(made, list) else [made]):
            expected["fixtures"][key] = entry
            flops = f"{entry['flops']:,} FLOPs" if entry["flops"] is not None else "FLOPs not recorded"
            print(f"{key}: {flops}, outputs {[o['shape'] for o in entry['outputs']]}", flush=True)
        expected["fixtures"] = dict(sorted(expected["fixtures"].items()))
        EXPECTED.write_text(json.dumps(expected, indent=2) + "\n")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"testdata/compute: {total:,} bytes")
    if total > BUDGET:
        sys.exit(f"fixtures exceed the {BUDGET:,}-byte budget")


if __name__ == "__main__":
    main(sys.argv)
