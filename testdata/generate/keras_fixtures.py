#!/usr/bin/env python3
"""Writes the Keras fixtures in testdata/keras/ and their entries in testdata/expected.json.

Every model is built with the real Keras (3.x, TensorFlow backend) and saved with Keras's own
savers:

  <name>.h5             model.save("x.h5")          legacy full-model HDF5      format keras-h5
  <name>.weights.h5     model.save_weights(...)     Keras 3 weights-only HDF5   format keras-weights-h5
  <name>.keras          model.save("x.keras")       Keras 3 zip archive         format keras-v3
  <name>.k2.weights.h5  Keras 2 weights-only layout (see write_keras2_weights) format keras-weights-h5

The expected counts come from the live model before anything is stripped: model.count_params(),
the trainable / non-trainable split of model.summary() (sizes of model.trainable_weights and
model.non_trainable_weights), layer.count_params() per top-level layer. Each saved file is checked
against them (the element count and bytes of the datasets stored as model weights).

Big models (more than BIG_BYTES of weights) are *layout-only*: after the real save, the HDF5 file is
rebuilt with h5py, every group and attribute copied exactly and every dataset created with the same
name, shape and dtype but never written (no storage is allocated). A .keras archive is re-zipped
with its config.json and metadata.json and the stripped model.weights.h5 (ZIP_STORED, as Keras
writes it).

Determinism: every model is built after keras.backend.clear_session() (layer names restart at
dense, dense_1, ...) and keras.utils.set_random_seed(SEED). Every .keras archive is re-packed with
fixed entry timestamps, a fixed metadata.json "date_saved" and the "shared_object_id" values of
config.json (memory addresses) renumbered 1, 2, ...; nothing else in it changes.

Run:  /work/venv-keras/bin/python testdata/generate/keras_fixtures.py
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "testdata" / "keras"
EXPECTED = REPO / "testdata" / "expected.json"

SEED = 20240601
BIG_BYTES = 200 * 1024          # weights above this are written layout-only
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_DATE_SAVED = "2025-01-01@00:00:00"
KERAS2_VERSION = "2.15.0"       # version string written into the Keras 2 layout files

DTYPE_NAMES = {
    "float32": "FLOAT", "float16": "FLOAT16", "bfloat16": "BFLOAT16", "float64": "DOUBLE",
    "int8": "INT8", "uint8": "UINT8", "int16": "INT16", "uint16": "UINT16", "int32": "INT32",
    "uint32": "UINT32", "int64": "INT64", "uint64": "UINT64", "bool": "BOOL",
}

GRAPH_FINDINGS = ["keras-lambda", "keras-custom-class", "keras-weight-shape-mismatch",
                  "keras-weight-missing", "keras-weight-extra"]


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

def conv_pool_dense():
    return keras.Sequential([
        keras.Input((224, 224, 3), name="image"),
        layers.Conv2D(16, (2, 2), activation="relu"),
        layers.MaxPooling2D(),
        layers.GlobalAveragePooling2D(),
        layers.Dense(133, activation="softmax"),
    ], name="conv_pool_dense")


def mnist_mlp():
    return keras.Sequential([
        keras.Input((784,), name="pixels"),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ], name="mnist_mlp")


def cnn_seed():
    # 128 -> same conv 128 -> MaxPool(3, s2, valid) 63 -> Conv 3x3 s2 valid 31 -> MaxPool(2) 15
    # -> Flatten 15*15*256 = 57,600 -> Dense(128) = 7,372,928.
    return keras.Sequential([
        keras.Input((128, 128, 3), name="image"),
        layers.Conv2D(512, (5, 5), padding="same", activation="relu"),
        layers.MaxPooling2D(pool_size=3, strides=2),
        layers.Conv2D(256, (3, 3), strides=2, padding="valid", activation="relu"),
        layers.MaxPooling2D(pool_size=2),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ], name="cnn_seed")


def _unet(batch_norm: bool, name: str):
    def block(x, filters):
        for _ in range(2):
            x = layers.Conv2D(filters, 3, padding="same")(x)
            if batch_norm:
                x = layers.BatchNormalization()(x)
            x = layers.Activation("relu")(x)
        return x

    inp = keras.Input((256, 256, 1), name="image")
    skips = []
    x = inp
    for f in (32, 64, 128, 256):
        x = block(x, f)
        skips.append(x)
        x = layers.MaxPooling2D(2)(x)
    x = block(x, 512)
    for f, skip in zip((256, 128, 64, 32), reversed(skips)):
        x = layers.Conv2DTranspose(f, 2, strides=2)(x)
        x = layers.Concatenate()([x, skip])
        x = block(x, f)
    out = layers.Conv2D(2, 1, name="logits")(x)
    return keras.Model(inp, out, name=name)


def unet():
    return _unet(False, "unet")


def unet_bn():
    return _unet(True, "unet_bn")


def vgg16():
    return keras.applications.VGG16(weights=None)


def dense_1024_512():
    return keras.Sequential([keras.Input((1024,), name="features"), layers.Dense(512)],
                            name="dense_1024_512")


def conv1d():
    return keras.Sequential([
        keras.Input((100, 8), name="signal"),
        layers.Conv1D(16, 5, activation="relu"),
        layers.GlobalMaxPooling1D(),
        layers.Dense(4),
    ], name="conv1d_model")


def conv2d():
    return keras.Sequential([keras.Input((32, 32, 3), name="image"), layers.Conv2D(10, (3, 3))],
                            name="conv2d_model")


def conv3d():
    return keras.Sequential([keras.Input((16, 16, 16, 1), name="volume"), layers.Conv3D(8, 3)],
                            name="conv3d_model")


def grouped_conv():
    return keras.Sequential([keras.Input((32, 32, 4), name="image"),
                             layers.Conv2D(8, 3, groups=2)], name="grouped_conv")


def depthwise_conv2d():
    return keras.Sequential([keras.Input((32, 32, 3), name="image"),
                             layers.DepthwiseConv2D(3, depth_multiplier=2)],
                            name="depthwise_conv2d_model")


def separable_conv2d():
    return keras.Sequential([keras.Input((32, 32, 3), name="image"),
                             layers.SeparableConv2D(16, 3, use_bias=False)],
                            name="separable_conv2d_model")


def conv2d_transpose():
    return keras.Sequential([keras.Input((8, 8, 16), name="features"),
                             layers.Conv2DTranspose(8, 3, strides=2)],
                            name="conv2d_transpose_model")


def embedding():
    return keras.Sequential([
        keras.Input((20,), dtype="int32", name="tokens"),
        layers.Embedding(500, 16),
        layers.GlobalAveragePooling1D(),
        layers.Dense(1),
    ], name="embedding_model")


def lstm():
    return keras.Sequential([keras.Input((10, 8), name="sequence"), layers.LSTM(16)],
                            name="lstm_model")


def gru():
    return keras.Sequential([keras.Input((10, 8), name="sequence"), layers.GRU(16)],
                            name="gru_model")


def simple_rnn():
    return keras.Sequential([keras.Input((10, 8), name="sequence"), layers.SimpleRNN(16)],
                            name="simple_rnn_model")


def bidirectional():
    inp = keras.Input((10, 8), name="sequence")
    x = layers.Bidirectional(layers.LSTM(16))(inp)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="bidirectional_model")


def layer_norm():
    return keras.Sequential([keras.Input((10, 64), name="tokens"), layers.LayerNormalization()],
                            name="layer_norm_model")


def multi_head_attention():
    inp = keras.Input((10, 32), name="tokens")
    out = layers.MultiHeadAttention(num_heads=4, key_dim=8, name="attention")(inp, inp)
    return keras.Model(inp, out, name="mha_model")


def batch_norm():
    return keras.Sequential([
        keras.Input((32, 32, 3), name="image"),
        layers.Conv2D(8, 3),
        layers.BatchNormalization(),
        layers.Activation("relu"),
    ], name="batch_norm_model")


def dense_no_bias():
    return keras.Sequential([keras.Input((32,), name="features"),
                             layers.Dense(16, use_bias=False)], name="dense_no_bias_model")


def shared_layer():
    a = keras.Input((16,), name="left")
    b = keras.Input((16,), name="right")
    shared = layers.Dense(8, activation="relu", name="shared_dense")
    x = layers.Concatenate()([shared(a), shared(b)])
    out = layers.Dense(1, name="score")(x)
    return keras.Model([a, b], out, name="shared_layer_model")


def nested_model():
    inner = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu"),
                              layers.Dense(4)], name="inner")
    inp = keras.Input((16,), name="features")
    x = layers.Dense(16, activation="relu", name="stem")(inp)
    x = inner(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="nested_model")


def frozen_layer():
    inp = keras.Input((16,), name="features")
    frozen = layers.Dense(32, activation="relu", name="frozen")
    frozen.trainable = False
    x = frozen(inp)
    out = layers.Dense(4, name="head")(x)
    return keras.Model(inp, out, name="frozen_layer_model")


def lambda_layer():
    inp = keras.Input((16,), name="features")
    x = layers.Dense(8, name="proj")(inp)
    x = layers.Lambda(lambda t: t * 2, name="times_two")(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="lambda_model")


@keras.saving.register_keras_serializable(package="modeltally")
class Scale(layers.Layer):
    """A custom layer with one weight vector (per-channel scale)."""

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, x):
        return x * self.scale


def custom_layer():
    inp = keras.Input((16,), name="features")
    x = layers.Dense(8, name="proj")(inp)
    x = Scale(name="scale")(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="custom_layer_model")


def mixed_dtypes():
    inp = keras.Input((16,), name="features")
    x = layers.Dense(8, dtype="float16", name="half")(inp)
    x = layers.Dense(8, dtype="float64", name="double")(x)
    out = layers.Dense(2, name="single")(x)
    return keras.Model(inp, out, name="mixed_dtypes_model")


SPLIT_LAYERS = 165
SPLIT_NAME_LEN = 400


def split_attrs():
    # layer_names holds 165 names of 400 bytes = 66,000 bytes, over HDF5's 64,512-byte object
    # header limit, so Keras's save_attributes_to_hdf5_group splits it into layer_names0, 1, ...
    x = inp = keras.Input((2,), name="features")
    for i in range(SPLIT_LAYERS):
        name = f"layer_{i:03d}_"
        x = layers.Dense(2, name=name + "w" * (SPLIT_NAME_LEN - len(name)))(x)
    return keras.Model(inp, x, name="split_attrs_model")


def optimizer_state():
    inp = keras.Input((8,), name="features")
    x = layers.Dense(4, activation="relu")(inp)
    out = layers.Dense(1)(x)
    m = keras.Model(inp, out, name="optimizer_state_model")
    m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    rng = np.random.default_rng(SEED)
    m.fit(rng.normal(size=(16, 8)).astype("float32"), rng.normal(size=(16, 1)).astype("float32"),
          batch_size=16, epochs=1, verbose=0)
    return m


# name, builder, published total (None: no published figure), Keras-2 layout?, description
MODELS = [
    ("conv_pool_dense", conv_pool_dense, 2469, True,
     "Conv2D(16, 2x2) on 224x224x3 -> MaxPool -> GlobalAvgPool -> Dense(133): 208 + 2,261 (seed example)"),
    # shared/reference-counts.md lists 567,434 for this model, but its own breakdown
    # 401,920 + 262,656 + 5,130 adds up to 669,706, which is what Keras reports (and what the
    # Keras mnist_mlp example prints); 567,434 is not reachable with 784-512-512-10.
    ("mnist_mlp", mnist_mlp, 669706, True,
     "MNIST MLP 784 -> 512 -> 512 -> 10 with ReLU and Dropout: 401,920 + 262,656 + 5,130 = 669,706 "
     "(seed example; the 567,434 in reference-counts.md does not match this architecture)"),
    ("cnn_seed", cnn_seed, 8593034, True,
     "Conv(512, 5x5, same) on 128x128x3 -> MaxPool(3, s2) -> Conv(256, 3x3, s2, valid) -> MaxPool(2) -> "
     "Flatten (15x15x256) -> Dense(128) -> Dense(10): 38,912 + 1,179,904 + 7,372,928 + 1,290 (seed example)"),
    ("unet", unet, 7759554, False,
     "UNet base 32, 1 input channel, 2 classes, no BN, 256x256x1 input: double 3x3 convs with bias, "
     "Conv2DTranspose 2x2 s2 up, concat skips, 1x1 conv to 2"),
    ("unet_bn", unet_bn, 7771330, False,
     "same UNet with BatchNormalization after each conv: 7,765,442 trainable + 5,888 non-trainable moving stats"),
    ("vgg16", vgg16, 138357544, False, "keras.applications.VGG16(weights=None), 224x224x3, 1000 classes"),
    ("dense_1024_512", dense_1024_512, 524800, False, "Dense 1024 -> 512 with bias"),
    ("conv1d", conv1d, None, False, "Conv1D(16, 5) on 100x8 -> GlobalMaxPool1D -> Dense(4): 656 + 68"),
    ("conv2d", conv2d, 280, False, "Conv2D 3 -> 10, 3x3, with bias"),
    ("conv3d", conv3d, 224, False, "Conv3D 1 -> 8, 3x3x3, with bias"),
    ("grouped_conv", grouped_conv, 152, False,
     "Conv2D 4 -> 8, 3x3, groups=2: kernel stored as (3, 3, 2, 8), 3*3*(4/2)*8 + 8"),
    ("depthwise_conv2d", depthwise_conv2d, 60, False,
     "DepthwiseConv2D 3x3 on 3 channels, depth_multiplier 2: kernel (3, 3, 3, 2) + bias 6"),
    ("separable_conv2d", separable_conv2d, 75, False,
     "SeparableConv2D 3 -> 16, 3x3, no bias: 27 depthwise + 48 pointwise"),
    ("conv2d_transpose", conv2d_transpose, 1160, False,
     "Conv2DTranspose 16 -> 8, 3x3, s2: kernel stored as (3, 3, out=8, in=16) + bias 8"),
    ("embedding", embedding, None, False,
     "Embedding(500, 16) on 20 int32 tokens -> GlobalAvgPool1D -> Dense(1): 8,000 + 17"),
    ("lstm", lstm, 1600, True, "LSTM(16) on 10x8: 4*(16*(8+16) + 16), Keras keeps one bias"),
    ("gru", gru, 1248, False, "GRU(16) on 10x8, reset_after=True: 3*(16*(8+16) + 2*16), bias stored as (2, 48)"),
    ("simple_rnn", simple_rnn, 400, False, "SimpleRNN(16) on 10x8: 16*(8+16) + 16"),
    ("bidirectional", bidirectional, 3266, True,
     "Bidirectional(LSTM(16)) on 10x8 -> Dense(2): 2 * 1,600 + 66 (weights nested under forward/backward)"),
    ("layer_norm", layer_norm, 128, False, "LayerNormalization over the last dim 64 on 10x64: 2*64, not 2*tokens"),
    ("multi_head_attention", multi_head_attention, 4224, False,
     "MultiHeadAttention 4 heads x key_dim 8 on 10x32 self-attention: 4*(32*32 + 32); kernels stored 3-D "
     "(32, 4, 8) / (4, 8, 32), biases (4, 8)"),
    ("batch_norm", batch_norm, 256, True,
     "Conv2D(8, 3x3) -> BatchNormalization -> ReLU on 32x32x3: 224 + 16 trainable (gamma, beta) + "
     "16 non-trainable (moving mean/variance)"),
    ("dense_no_bias", dense_no_bias, 512, False, "Dense 32 -> 16, use_bias=False"),
    ("shared_layer", shared_layer, 153, False,
     "one Dense(8) applied to two inputs (functional), concat -> Dense(1): the shared kernel is stored "
     "and counted once (136 + 17)"),
    ("nested_model", nested_model, None, True,
     "a Sequential (Dense 16->8, Dense 8->4) used as a layer inside a functional model: stem 272 + inner "
     "172 + head 10"),
    ("frozen_layer", frozen_layer, 676, False,
     "Dense(32) with trainable=False -> Dense(4): 544 non-trainable + 132 trainable"),
    ("lambda_layer", lambda_layer, 154, False,
     "Dense(8) -> Lambda(lambda x: x * 2) -> Dense(2); the Lambda holds Python bytecode (saved, never loaded)"),
    ("custom_layer", custom_layer, 162, False,
     "Dense(8) -> custom registered layer modeltally>Scale (one weight vector of 8) -> Dense(2)"),
    ("mixed_dtypes", mixed_dtypes, None, False,
     "Dense(8, float16) -> Dense(8, float64) -> Dense(2, float32): one dtype per layer"),
    ("split_attrs", split_attrs, SPLIT_LAYERS * 6, True,
     f"{SPLIT_LAYERS} chained Dense(2) layers with {SPLIT_NAME_LEN}-character names: the layer_names attribute "
     "is too long for one HDF5 object header, so Keras splits it into layer_names0, layer_names1, ..."),
    ("optimizer_state", optimizer_state, 41, False,
     "Dense(4) -> Dense(1), compiled with Adam and fitted one step: the files also hold optimizer state "
     "(iteration int64, learning_rate, momentum/velocity), which is not a model parameter"),
]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def numel(shape) -> int:
    return int(math.prod(int(d) for d in shape))


def dtype_name(dtype) -> str:
    name = np.dtype(dtype).name if not isinstance(dtype, str) else dtype
    return DTYPE_NAMES[name]


def itemsize(dtype) -> int:
    if str(dtype) == "bfloat16":
        return 2
    return np.dtype(dtype).itemsize


def shape_json(shape):
    return [None if d is None else int(d) for d in shape]


def tensor_source_name(t) -> str:
    return t._keras_history.operation.name


def framework_counts(model) -> dict:
    trainable = sum(numel(w.shape) for w in model.trainable_weights)
    non_trainable = sum(numel(w.shape) for w in model.non_trainable_weights)
    total = model.count_params()
    assert total == trainable + non_trainable, (model.name, total, trainable, non_trainable)
    by_dtype: dict[str, int] = {}
    nbytes = 0
    for w in model.weights:
        by_dtype[dtype_name(w.dtype)] = by_dtype.get(dtype_name(w.dtype), 0) + numel(w.shape)
        nbytes += numel(w.shape) * itemsize(w.dtype)
    return {
        "total": total,
        "trainable": trainable,
        "non_trainable": non_trainable,
        "bytes": nbytes,
        "by_dtype": dict(sorted(by_dtype.items())),
    }


def layer_counts(model) -> dict:
    return {layer.name: int(layer.count_params()) for layer in model.layers}


def io_shape_json(shape):
    """modeltally reports Keras's None batch dim as the symbolic dim "batch" (like an ONNX dim_param);
    any other None dim is unknown (null)."""
    return ["batch" if i == 0 and d is None else None if d is None else int(d) for i, d in enumerate(shape)]


def io_shapes(model):
    inputs = [{"name": tensor_source_name(t), "shape": io_shape_json(t.shape)} for t in model.inputs]
    outputs = [{"name": tensor_source_name(t), "shape": io_shape_json(t.shape)} for t in model.outputs]
    return inputs, outputs


def weights_only_counts(model, counts):
    """What a weights-only file can tell about the trainable split: it records no trainable flags,
    so a frozen layer's weights read as trainable; only BatchNormalization moving statistics are
    recognised (by variable name in Keras 2 files, by layer class in Keras 3 files)."""
    stats = sum(numel(w.shape) for w in model.weights if w.path.endswith(("moving_mean", "moving_variance")))
    return dict(counts, trainable=counts["total"] - stats, non_trainable=stats)


def stored_datasets(path: Path, under: str) -> list[tuple]:
    """(name, shape, dtype) of every dataset below `under` (a group path) in an HDF5 file."""
    found = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found.append((name, tuple(obj.shape), obj.dtype))
        f[under].visititems(visit)
    return found


def stored_totals(datasets) -> tuple[int, int]:
    return (sum(numel(s) for _, s, _ in datasets),
            sum(numel(s) * d.itemsize for _, s, d in datasets))


def copy_attrs(src, dst):
    """Copies every attribute with its exact HDF5 type (vlen vs fixed strings, charset, shape)."""
    for key in src.attrs:
        aid = src.attrs.get_id(key)
        dst.attrs.create(key, data=src.attrs[key], shape=aid.shape, dtype=aid.dtype)
        got = dst.attrs.get_id(key)
        assert got.get_type() == aid.get_type() and got.shape == aid.shape, (key, aid.dtype, got.dtype)


def strip_h5(src_path: Path, dst_path: Path):
    """Rebuilds an HDF5 file: same groups, attributes, dataset names/shapes/dtypes; no data."""
    with h5py.File(src_path, "r") as src, h5py.File(dst_path, "w") as dst:
        copy_attrs(src, dst)

        def copy_group(sg, dg):
            for name in sg:  # h5py iterates links in name order, as Keras's files do
                obj = sg.get(name)
                if isinstance(obj, h5py.Group):
                    g = dg.create_group(name)
                    copy_attrs(obj, g)
                    copy_group(obj, g)
                elif isinstance(obj, h5py.Dataset):
                    d = dg.create_dataset(name, shape=obj.shape, dtype=obj.dtype)
                    copy_attrs(obj, d)
                else:
                    raise ValueError(f"unexpected HDF5 object {name} in {src_path}")

        copy_group(src, dst)
    # no dataset may hold storage
    with h5py.File(dst_path, "r") as f:
        def check(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.size:
                assert obj.id.get_storage_size() == 0, (dst_path, name)
        f.visititems(check)


def copy_or_strip(src: Path, dst: Path, big: bool):
    if big:
        strip_h5(src, dst)
    else:
        shutil.copyfile(src, dst)


def repack_keras(src_path: Path, dst_path: Path, strip: bool, tmp: Path):
    """Re-zips a .keras archive: same entries in the same order, ZIP_STORED, fixed timestamps,
    fixed metadata date; model.weights.h5 stripped to its layout when `strip`."""
    with zipfile.ZipFile(src_path, "r") as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    names = [i.filename for i, _ in entries]
    assert names == ["metadata.json", "config.json", "model.weights.h5"], names
    with zipfile.ZipFile(dst_path, "w") as zout:
        for info, data in entries:
            assert info.compress_type == zipfile.ZIP_STORED, (src_path, info.filename)
            if info.filename == "metadata.json":
                meta = json.loads(data)
                meta["date_saved"] = FIXED_DATE_SAVED
                data = json.dumps(meta).encode("utf8")
            elif info.filename == "config.json":
                data = renumber_shared_object_ids(data)
            elif info.filename == "model.weights.h5" and strip:
                full = tmp / "full.weights.h5"
                lean = tmp / "lean.weights.h5"
                full.write_bytes(data)
                strip_h5(full, lean)
                data = lean.read_bytes()
                full.unlink()
                lean.unlink()
            out = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            out.compress_type = zipfile.ZIP_STORED
            out.create_system = info.create_system
            out.external_attr = info.external_attr
            zout.writestr(out, data)
    with zipfile.ZipFile(dst_path) as z:
        for info in z.infolist():
            assert info.compress_type == zipfile.ZIP_STORED and info.file_size == info.compress_size


def renumber_shared_object_ids(config: bytes) -> bytes:
    """Keras writes "shared_object_id": id(obj) (a memory address) into config.json; renumber them
    1, 2, ... in order of first appearance so that the archive is reproducible. Only the ids
    change, and equal ids stay equal, so the config means the same."""
    ids: dict[str, str] = {}

    def sub(m):
        return f'"shared_object_id": {ids.setdefault(m.group(1), str(len(ids) + 1))}'

    text = re.sub(r'"shared_object_id": (\d+)', sub, config.decode("utf8"))
    return text.encode("utf8")


def keras2_weight_name(model, top_layer, variable) -> str:
    """The name Keras 2 (tf.keras) gave a variable: its name scope without the enclosing model
    and a ':0' suffix, e.g. dense/kernel:0, lstm/lstm_cell/kernel:0, batch_normalization/gamma:0."""
    path = variable.path
    for prefix in (model.name + "/", (top_layer.name + "/") if isinstance(top_layer, keras.Model) else None):
        if prefix and path.startswith(prefix):
            path = path[len(prefix):]
    return path + ":0"


def write_keras2_weights(model, path: Path, layout_only: bool):
    """Writes model.save_weights("x.h5") as Keras 2 (tf.keras 2.x, hdf5_format.py) did.

    tf-keras is not installable from the local mirrors, so this follows Keras 2's
    save_weights_to_hdf5_group line for line: root attrs layer_names (via Keras's own
    save_attributes_to_hdf5_group), backend and keras_version (utf-8 bytes); one group per
    model.layers entry, created in name order, holding weight_names and one dataset per weight
    (trainable weights first, then non-trainable) at its Keras 2 name (dense/kernel:0 -> the
    nested groups dense/ and dataset kernel:0); then top_level_model_weights (empty)."""
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_attributes_to_hdf5_group(
            f, "layer_names", [layer.name.encode("utf8") for layer in model.layers])
        f.attrs["backend"] = "tensorflow".encode("utf8")
        f.attrs["keras_version"] = KERAS2_VERSION.encode("utf8")
        for layer in sorted(model.layers, key=lambda x: x.name):
            g = f.create_group(layer.name)
            weights = layer.trainable_weights + layer.non_trainable_weights
            names = [keras2_weight_name(model, layer, w).encode("utf8") for w in weights]
            legacy_h5_format.save_attributes_to_hdf5_group(g, "weight_names", names)
            for name, w in zip(names, weights):
                shape = tuple(int(d) for d in w.shape)
                dset = g.create_dataset(name, shape, dtype=np.dtype(w.dtype))
                if not layout_only:
                    value = keras.ops.convert_to_numpy(w.value)
                    if not shape:
                        dset[()] = value
                    else:
                        dset[:] = value
        top = [v for v in model._trainable_variables + model._non_trainable_variables if v in model.weights]
        g = f.create_group("top_level_model_weights")
        legacy_h5_format.save_attributes_to_hdf5_group(g, "weight_names", [w.path.encode("utf8") for w in top])
        assert not top


def fresh(builder):
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    return builder()


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def entry(fmt, params, description, framework, *, layers_=None, io=None, findings=None,
          absent=None, weights_only=False, split_recorded=True):
    e = {"format": fmt, "parameters": params, "framework": framework, "description": description}
    if layers_ is not None:
        e["layers"] = layers_
    if io is not None:
        e["inputs"], e["outputs"] = io
    if findings:
        e["findings"] = findings
    if absent:
        e["absent_findings"] = absent
    if weights_only:
        e["weights_only"] = True
        if not split_recorded:
            # The model's own split (model.summary()) cannot be read from a weights-only file.
            e["trainable_split_recorded"] = False
            e["framework"] = dict(framework, summary_split={"trainable": params["trainable"],
                                                            "non_trainable": params["non_trainable"]})
            e["parameters"] = params["file_split"]
    return e


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        if old.is_file() and (old.name.endswith(".h5") or old.name.endswith(".keras")):
            old.unlink()

    keras_name = f"keras {keras.__version__}"
    fixtures: dict[str, dict] = {}

    with tempfile.TemporaryDirectory(prefix="keras-fixtures-") as tmpdir:
        tmp = Path(tmpdir)
        for name, builder, published, keras2, description in MODELS:
            model = fresh(builder)
            counts = framework_counts(model)
            if published is not None:
                assert counts["total"] == published, (name, counts["total"], published)
            if name == "unet_bn":
                assert (counts["trainable"], counts["non_trainable"]) == (7765442, 5888), counts
            per_layer = layer_counts(model)
            assert sum(per_layer.values()) == counts["total"], (name, per_layer)
            io = io_shapes(model)
            big = counts["bytes"] > BIG_BYTES
            framework = {"name": keras_name, "count": counts["total"],
                         "note": "model.count_params(); trainable/non-trainable as model.summary() "
                                 f"(TensorFlow {tf.__version__} backend)"}
            lean = " Layout-only: datasets have shape and dtype but no data." if big else ""
            lambda_findings = ["keras-lambda"] if name == "lambda_layer" else []
            custom_findings = ["keras-custom-class"] if name == "custom_layer" else []
            findings = lambda_findings + custom_findings
            absent = [c for c in GRAPH_FINDINGS if c not in findings]
            split_recorded = name != "frozen_layer"
            wo_counts = counts if split_recorded else dict(counts, file_split=weights_only_counts(model, counts))

            # legacy full-model .h5
            real = tmp / f"{name}.h5"
            model.save(real)
            if name == "split_attrs":
                with h5py.File(real, "r") as f:
                    assert "layer_names0" in f["model_weights"].attrs and "layer_names" not in f["model_weights"].attrs
            ds = stored_datasets(real, "model_weights")
            assert stored_totals(ds) == (counts["total"], counts["bytes"]), (name, stored_totals(ds))
            dst = OUT / real.name
            copy_or_strip(real, dst, big)
            real.unlink()
            fixtures[f"keras/{dst.name}"] = entry(
                "keras-h5", counts, f"{description}. model.save() legacy HDF5.{lean}", framework,
                layers_=per_layer, io=io, findings=findings, absent=absent)

            # Keras 3 weights-only
            real = tmp / f"{name}.weights.h5"
            model.save_weights(real)
            ds = stored_datasets(real, "layers")
            with h5py.File(real, "r") as f:
                if len(f["vars"]):
                    ds += stored_datasets(real, "vars")
            assert stored_totals(ds) == (counts["total"], counts["bytes"]), (name, stored_totals(ds))
            dst = OUT / real.name
            copy_or_strip(real, dst, big)
            real.unlink()
            extra = " Also stores optimizer/vars (not parameters)." if name == "optimizer_state" else ""
            fixtures[f"keras/{dst.name}"] = entry(
                "keras-weights-h5", wo_counts,
                f"{description}. Keras 3 model.save_weights() (layers/<key>/vars/0..N, no graph).{extra}{lean}",
                framework, layers_=per_layer, weights_only=True, split_recorded=split_recorded)

            # Keras 3 .keras archive
            real = tmp / f"{name}.keras"
            model.save(real)
            with zipfile.ZipFile(real) as z:
                inner = tmp / "check.weights.h5"
                inner.write_bytes(z.read("model.weights.h5"))
            ds = stored_datasets(inner, "layers")
            with h5py.File(inner, "r") as f:
                if len(f["vars"]):
                    ds += stored_datasets(inner, "vars")
            inner.unlink()
            assert stored_totals(ds) == (counts["total"], counts["bytes"]), (name, stored_totals(ds))
            dst = OUT / real.name
            repack_keras(real, dst, big, tmp)
            real.unlink()
            fixtures[f"keras/{dst.name}"] = entry(
                "keras-v3", counts, f"{description}. model.save() .keras zip (config.json, metadata.json, "
                f"model.weights.h5 stored).{lean}", framework,
                layers_=per_layer, io=io, findings=findings, absent=absent)

            # Keras 2 weights-only layout
            if keras2:
                dst = OUT / f"{name}.k2.weights.h5"
                write_keras2_weights(model, dst, layout_only=big)
                ds = stored_datasets(dst, "/")
                assert stored_totals(ds) == (counts["total"], counts["bytes"]), (name, stored_totals(ds))
                fixtures[f"keras/{dst.name}"] = entry(
                    "keras-weights-h5", wo_counts,
                    f"{description}. Keras 2 save_weights() layout (root layer_names/backend/keras_version "
                    f"'{KERAS2_VERSION}', per-layer groups with weight_names like dense/kernel:0), written with "
                    f"h5py following tf.keras 2.x hdf5_format.py because tf-keras is not installable here; "
                    f"shapes and counts from the Keras 3 model.{lean}",
                    framework, layers_=per_layer, weights_only=True, split_recorded=split_recorded)

            verify_with_keras(name, builder, model, big, keras2, tmp)
            if name == "conv_pool_dense":
                make_corrupt_copies(model, counts, per_layer, io, framework, fixtures, tmp)
            print(f"{name:22s} total={counts['total']:>11,} trainable={counts['trainable']:>11,} "
                  f"non_trainable={counts['non_trainable']:>7,} {'layout-only' if big else ''}", flush=True)
            del model

    write_expected(fixtures)
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    print(f"{len(fixtures)} keras fixtures, {total:,} bytes in {OUT.relative_to(REPO)}")
    return 0


def verify_with_keras(name, builder, model, big, keras2, tmp):
    """Loads every fixture of one model back with Keras's own loaders (the Keras 2 layout through
    Keras's legacy .h5 loader, which reads Keras 2 files) and compares counts and, where the data
    was kept, every weight value. The Lambda model is never loaded (that needs safe_mode=False)."""
    want = [keras.ops.convert_to_numpy(w.value) for w in model.weights]

    def same(loaded):
        assert loaded.count_params() == model.count_params(), (name, loaded.count_params())
        got = [keras.ops.convert_to_numpy(w.value) for w in loaded.weights]
        assert [g.shape for g in got] == [w.shape for w in want], name
        if not big:
            assert all(np.array_equal(g, w) for g, w in zip(got, want)), name

    if name != "lambda_layer":
        for suffix in (".h5", ".keras"):
            same(keras.models.load_model(OUT / f"{name}{suffix}", compile=False))
    fresh_model = fresh(builder)
    fresh_model.load_weights(OUT / f"{name}.weights.h5")
    same(fresh_model)
    if keras2:
        legacy_name = tmp / f"{name}.h5"  # a name not ending in .weights.h5 selects the legacy loader
        shutil.copyfile(OUT / f"{name}.k2.weights.h5", legacy_name)
        fresh_model = fresh(builder)
        fresh_model.load_weights(legacy_name)
        same(fresh_model)
        legacy_name.unlink()


def make_corrupt_copies(model, counts, per_layer, io, framework, fixtures, tmp):
    """Hand-corrupted copies of conv_pool_dense.h5 / .keras (rewritten with h5py)."""
    src_h5 = OUT / "conv_pool_dense.h5"
    rng = np.random.default_rng(SEED)
    base = ("Copy of conv_pool_dense (Conv2D(16, 2x2) -> MaxPool -> GlobalAvgPool -> Dense(133)) rewritten "
            "with h5py: ")

    def stored_counts(total, nbytes, trainable_delta):
        return {"total": total, "trainable": counts["trainable"] + trainable_delta,
                "non_trainable": counts["non_trainable"], "bytes": nbytes, "by_dtype": {"FLOAT": total}}

    fw = dict(framework, note="model.count_params() of the model before it was corrupted; "
                              "parameters count what the file stores")

    # 1. shape mismatch: Dense kernel (16, 133) rewritten as (17, 133)
    kernel = "model_weights/dense/conv_pool_dense/dense/kernel"
    for suffix in (".h5", ".keras"):
        dst = OUT / f"mismatch{suffix}"
        if suffix == ".h5":
            shutil.copyfile(src_h5, dst)
            h5_path, key = dst, kernel
        else:
            h5_path, key = tmp / "mismatch.weights.h5", "layers/dense/vars/0"
            with zipfile.ZipFile(OUT / "conv_pool_dense.keras") as z:
                h5_path.write_bytes(z.read("model.weights.h5"))
        with h5py.File(h5_path, "r+") as f:
            assert f[key].shape == (16, 133), f[key].shape
            del f[key]
            f.create_dataset(key, data=rng.normal(size=(17, 133)).astype("float32"))
        if suffix == ".keras":
            rezip_with_weights(OUT / "conv_pool_dense.keras", dst, h5_path.read_bytes())
            h5_path.unlink()
        total = counts["total"] + 133
        fixtures[f"keras/{dst.name}"] = entry(
            "keras-h5" if suffix == ".h5" else "keras-v3", stored_counts(total, total * 4, 133),
            base + "the Dense kernel is stored as (17, 133) while the config (16 input channels, 133 units) "
                   "says (16, 133). Parameters count the stored datasets.",
            fw, io=io, findings=["keras-weight-shape-mismatch"])

    # 2. missing weight: the Dense bias dataset removed (weight_names still lists it)
    dst = OUT / "missing_weight.h5"
    shutil.copyfile(src_h5, dst)
    with h5py.File(dst, "r+") as f:
        del f["model_weights/dense/conv_pool_dense/dense/bias"]
    total = counts["total"] - 133
    fixtures[f"keras/{dst.name}"] = entry(
        "keras-h5", stored_counts(total, total * 4, -133),
        base + "the Dense bias dataset is deleted (weight_names and the config still list it). "
               "Parameters count the stored datasets.",
        fw, io=io, findings=["keras-weight-missing"], absent=["keras-weight-shape-mismatch"])

    # 3. extra weight: a dataset the config does not have, listed in the Dense layer's weight_names
    dst = OUT / "extra_weight.h5"
    shutil.copyfile(src_h5, dst)
    with h5py.File(dst, "r+") as f:
        g = f["model_weights/dense"]
        names = list(legacy_h5_format.load_attributes_from_hdf5_group(g, "weight_names"))
        extra = "conv_pool_dense/dense/extra_scale"
        del g.attrs["weight_names"]
        legacy_h5_format.save_attributes_to_hdf5_group(
            g, "weight_names", [n.encode("utf8") for n in names + [extra]])
        g.create_dataset(extra, data=rng.normal(size=(133,)).astype("float32"))
    total = counts["total"] + 133
    fixtures[f"keras/{dst.name}"] = entry(
        "keras-h5", stored_counts(total, total * 4, 133),
        base + "an extra dataset dense/extra_scale (133,) is added to the Dense layer's group and its "
               "weight_names; the config has no such weight. Parameters count the stored datasets.",
        fw, io=io, findings=["keras-weight-extra"], absent=["keras-weight-shape-mismatch"])

    # Keras itself must refuse every corrupted copy
    for broken in ("mismatch.h5", "mismatch.keras", "missing_weight.h5", "extra_weight.h5"):
        try:
            keras.models.load_model(OUT / broken, compile=False)
        except (ValueError, KeyError):
            continue
        raise AssertionError(f"Keras loaded the corrupted fixture {broken}")

    make_hdf5_link_copies(counts, fw, fixtures, tmp)


def make_hdf5_link_copies(counts, framework, fixtures, tmp):
    """HDF5 features Keras never writes and a reader must never follow: soft and external links,
    dataset bytes kept in another file (external storage), virtual datasets. Copies of
    conv_pool_dense rewritten with h5py. A group jhdf cannot list (external storage, virtual
    dataset) is reported and its weights are not counted, so those counts are modeltally's, not
    Keras's: conv2d's 208 parameters only."""
    base = "Copy of conv_pool_dense rewritten with h5py: "
    fw = dict(framework, note="parameters: what is read without following links or external storage")

    dst = OUT / "links.h5"
    shutil.copyfile(OUT / "conv_pool_dense.h5", dst)
    with h5py.File(dst, "r+") as f:
        f["model_weights/dense/alias"] = h5py.SoftLink("/model_weights/conv2d")
        f["model_weights/elsewhere"] = h5py.ExternalLink("/etc/passwd", "/")
    fixtures["keras/links.h5"] = entry(
        "keras-h5", counts, base + "a soft link in the Dense layer's group and an external link to /etc/passwd "
        "in /model_weights; neither is followed, counts are unchanged.", fw,
        findings=["hdf5-soft-link", "hdf5-external-link"], absent=["keras-weight-shape-mismatch"])

    conv_only = {"total": 208, "trainable": 208, "non_trainable": 0, "bytes": 832, "by_dtype": {"FLOAT": 208}}
    dst = OUT / "external_storage.weights.h5"
    shutil.copyfile(OUT / "conv_pool_dense.weights.h5", dst)
    cwd = os.getcwd()
    os.chdir(tmp)  # HDF5 resolves (and may create) the external file relative to the working directory
    try:
        with h5py.File(dst, "r+") as f:
            g = f["layers/dense/vars"]
            shape, dtype = g["0"].shape, g["0"].dtype
            del g["0"]
            g.create_dataset("0", shape=shape, dtype=dtype, external=[("dense_kernel.bin", 0, h5py.h5f.UNLIMITED)])
    finally:
        os.chdir(cwd)
    fixtures[f"keras/{dst.name}"] = entry(
        "keras-weights-h5", conv_only, base + "the Dense kernel (Keras 3 weights file) is a dataset whose bytes "
        "are declared in the raw file dense_kernel.bin (HDF5 external storage, never opened); the group "
        "holding it is reported and not counted.", fw, findings=["hdf5-external-storage"], weights_only=True)

    dst = OUT / "virtual.weights.h5"
    shutil.copyfile(OUT / "conv_pool_dense.weights.h5", dst)
    with h5py.File(dst, "r+") as f:
        g = f["layers/dense/vars"]
        kernel = g["0"][...]
        del g["0"]
        f.create_dataset("source/kernel", data=kernel)
        layout = h5py.VirtualLayout(shape=kernel.shape, dtype=kernel.dtype)
        layout[...] = h5py.VirtualSource(".", "source/kernel", shape=kernel.shape)
        g.create_virtual_dataset("0", layout)
    fixtures[f"keras/{dst.name}"] = entry(
        "keras-weights-h5", conv_only, base + "the Dense kernel (Keras 3 weights file) is a virtual dataset "
        "mapped from /source/kernel; never followed, the group holding it is reported and not counted.",
        fw, findings=["hdf5-virtual-dataset"], weights_only=True)


def rezip_with_weights(src: Path, dst: Path, weights: bytes):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = weights if info.filename == "model.weights.h5" else zin.read(info.filename)
            out = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            out.compress_type = zipfile.ZIP_STORED
            out.create_system = info.create_system
            out.external_attr = info.external_attr
            zout.writestr(out, data)


def write_expected(fixtures: dict):
    data = {}
    if EXPECTED.exists():
        data = json.loads(EXPECTED.read_text(encoding="utf8"))
    kept = {k: v for k, v in data.get("fixtures", {}).items() if not k.startswith("keras/")}
    kept.update(fixtures)
    data["fixtures"] = kept
    EXPECTED.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf8")


if __name__ == "__main__":
    sys.exit(main())
