#!/usr/bin/env python3
"""Writes the Keras long-tail fixtures in testdata/keras/longtail/ and testdata/expected-keras-longtail.json.

One small Keras 3 model per less common layer (or per family of modes of one layer), built with the
real Keras (TensorFlow backend, as keras_fixtures.py) and saved with Keras's own savers:

  <name>.keras        model.save("x.keras")        Keras 3 zip archive        format keras-v3
  <name>.h5           model.save("x.h5")           legacy full-model HDF5     format keras-h5
  <name>.weights.h5   model.save_weights(...)      Keras 3 weights-only HDF5  format keras-weights-h5

each gzipped as <file>.gz (gzip -9, no name, mtime 0): Keras's HDF5 files are mostly object-header
padding and shrink five-fold, which keeps the folder under 2 MB.

Expected figures (see testdata/README.md, "Keras long tail"):
  * parameters: model.count_params(), the trainable / non-trainable split of model.summary() (sizes of
    model.trainable_weights / model.non_trainable_weights), bytes and elements by dtype, per top-level
    layer layer.count_params() and its split;
  * inputs / outputs and every top-level layer's output shapes (layer.output.shape, one entry per
    output tensor of every call) from the live model, Keras's None batch dim written "batch";
  * FLOPs: torch.utils.flop_counter.FlopCounterMode around one inference call of the saved .keras
    file loaded under KERAS_BACKEND=torch (a child process of this script), batch 1, SDPA forced to
    its math backend (FlopCounterMode does not count the fused CPU kernel), corrected to exactly T
    steps for recurrent layers (see measure_flops). MACs = FLOPs / 2.

Every file is loaded back by Keras before its entry is written: keras.saving.load_model for .keras
and .h5 (same count, same weights, same prediction on a fixed input), model.load_weights into a
fresh model for .weights.h5. Models whose weights exceed BIG_BYTES are written layout-only (HDF5
datasets with shape and dtype, never written), like keras_fixtures.py.

Determinism as in keras_fixtures.py (clear_session + set_random_seed before each build, fixed zip
timestamps, renumbered shared_object_id). The helpers are imported from keras_fixtures.py.

Run:  /work/venv-fixtures/bin/python testdata/generate/keras_longtail_fixtures.py [NAME ...]
      (NAME ...: regenerate only these fixtures; the other entries are kept)
"""

from __future__ import annotations

import gzip
import json
import math
import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

MEASURE = len(sys.argv) > 1 and sys.argv[1] == "--measure"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "torch" if MEASURE else os.environ.get("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = REPO / "testdata" / "keras" / "longtail"
EXPECTED = REPO / "testdata" / "expected-keras-longtail.json"
SEED = 20240601
BIG_BYTES = 200 * 1024
BATCH = 1
TOLERANCE = 0.01


@dataclass
class Spec:
    name: str
    builder: Callable
    description: str
    # layer whose input is fed to the FLOP measurement instead of the model inputs (the layers
    # before it do string work torch cannot run, and no conv/matmul)
    measure_from: str | None = None
    int_high: int = 10                   # exclusive upper bound of sampled integer inputs
    custom_objects: dict = field(default_factory=dict)   # needed by the legacy .h5 loader only
    layout_only: bool | None = None      # None: by BIG_BYTES
    predict: bool = True                 # compare predictions of the loaded files (TensorFlow CPU)


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

def convlstm1d():
    inp = keras.Input((6, 16, 3), name="frames")
    x = layers.ConvLSTM1D(4, 3, padding="same", return_sequences=True)(inp)
    x = layers.ConvLSTM1D(5, 3, strides=2, dilation_rate=1)(x)
    x = layers.GlobalAveragePooling1D()(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="convlstm1d_model")


def convlstm2d():
    inp = keras.Input((5, 12, 12, 2), name="frames")
    x = layers.ConvLSTM2D(4, 3, return_sequences=True)(inp)
    x = layers.ConvLSTM2D(3, (3, 3), strides=2, padding="same", use_bias=False)(x)
    x = layers.Flatten()(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="convlstm2d_model")


def convlstm3d():
    inp = keras.Input((4, 6, 6, 6, 1), name="volumes")
    x = layers.ConvLSTM3D(2, 3, padding="same")(inp)
    x = layers.Flatten()(x)
    out = layers.Dense(1, name="head")(x)
    return keras.Model(inp, out, name="convlstm3d_model")


def attention():
    q = keras.Input((8, 16), name="query")
    v = keras.Input((10, 16), name="value")
    k = keras.Input((10, 16), name="key")
    a = layers.Attention(name="dot")([q, v])
    b = layers.Attention(use_scale=True, name="dot_scaled")([q, v, k])
    c = layers.Attention(score_mode="concat", name="concat")([q, v])
    d = layers.Attention(use_scale=True, score_mode="concat", dropout=0.1, name="concat_scaled")([q, v, k])
    e = layers.Attention(name="self_causal")([q, q], use_causal_mask=True)
    out = layers.Concatenate(name="merge")([a, b, c, d, e])
    return keras.Model([q, v, k], out, name="attention_model")


def additive_attention():
    q = keras.Input((8, 16), name="query")
    v = keras.Input((10, 16), name="value")
    k = keras.Input((10, 16), name="key")
    a = layers.AdditiveAttention(name="scaled")([q, v])
    b = layers.AdditiveAttention(use_scale=False, name="unscaled")([q, v, k])
    out = layers.Concatenate(name="merge")([a, b])
    out = layers.Dense(4, name="head")(out)
    return keras.Model([q, v, k], out, name="additive_attention_model")


def group_query_attention():
    x = keras.Input((10, 32), name="tokens")
    m = keras.Input((7, 32), name="memory")
    a = layers.GroupQueryAttention(head_dim=8, num_query_heads=4, num_key_value_heads=2, name="self_gqa")(x, x)
    b = layers.GroupQueryAttention(head_dim=6, num_query_heads=6, num_key_value_heads=3, use_bias=False,
                                   name="cross_gqa")(a, m)
    return keras.Model([x, m], b, name="gqa_model")


def einsum_dense():
    inp = keras.Input((10, 16), name="tokens")
    x = layers.EinsumDense("abc,cd->abd", output_shape=(None, 32), bias_axes="d", activation="relu",
                           name="proj")(inp)
    x = layers.EinsumDense("abc,cde->abde", output_shape=(None, 4, 8), bias_axes="de", name="heads")(x)
    x = layers.EinsumDense("abcd,cde->abe", output_shape=(None, 16), name="merge_heads")(x)
    x = layers.EinsumDense("...b,bc->...c", output_shape=6, bias_axes="c", name="ellipsis")(x)
    return keras.Model(inp, x, name="einsum_dense_model")


def rnn_stacked_cells():
    inp = keras.Input((7, 6), name="sequence")
    cells = layers.StackedRNNCells([layers.LSTMCell(8, dropout=0.1), layers.GRUCell(5)])
    x = layers.RNN(cells, return_sequences=True, name="stacked")(inp)
    x = layers.GlobalAveragePooling1D()(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="rnn_stacked_cells_model")


def rnn_simple_cell():
    inp = keras.Input((9, 4), name="sequence")
    x = layers.RNN(layers.SimpleRNNCell(6), name="simple")(inp)
    out = layers.Dense(1, name="head")(x)
    return keras.Model(inp, out, name="rnn_simple_cell_model")


def spectral_norm():
    inp = keras.Input((8, 8, 3), name="image")
    x = layers.SpectralNormalization(layers.Conv2D(4, 3, activation="relu"), name="sn_conv")(inp)
    x = layers.Flatten()(x)
    x = layers.SpectralNormalization(layers.Dense(8), power_iterations=2, name="sn_dense")(x)
    out = layers.Dense(1, name="head")(x)
    return keras.Model(inp, out, name="spectral_norm_model")


def mha_modes():
    q = keras.Input((6, 16), name="query")
    v = keras.Input((9, 12), name="value")
    g = keras.Input((4, 5, 16), name="grid")
    a = layers.MultiHeadAttention(num_heads=2, key_dim=8, value_dim=6, output_shape=24,
                                  name="mha_output_shape")(q, v)
    b = layers.MultiHeadAttention(num_heads=2, key_dim=4, output_shape=(2, 5), use_bias=False,
                                  name="mha_output_shape_2d")(q, v)
    c = layers.MultiHeadAttention(num_heads=2, key_dim=4, attention_axes=(1, 2), name="mha_axes_12")(g, g)
    return keras.Model([q, v, g], [a, b, c], name="mha_modes_model")


def embedding_mask_lstm():
    inp = keras.Input((12,), dtype="int32", name="tokens")
    x = layers.Embedding(50, 8, mask_zero=True)(inp)
    x = layers.LSTM(6, return_sequences=True)(x)
    x = layers.GRU(4)(x)
    out = layers.Dense(1, name="head")(x)
    return keras.Model(inp, out, name="embedding_mask_lstm_model")


def preprocessing():
    inp = keras.Input((20, 24, 3), name="image")
    x = layers.Resizing(16, 16)(inp)
    x = layers.RandomFlip("horizontal_and_vertical")(x)
    x = layers.RandomRotation(0.1)(x)
    x = layers.RandomZoom(0.1)(x)
    x = layers.RandomTranslation(0.1, 0.1)(x)
    x = layers.RandomContrast(0.2)(x)
    x = layers.RandomCrop(14, 14)(x)
    x = layers.Rescaling(1.0 / 255)(x)
    x = layers.CenterCrop(12, 12)(x)
    x = layers.Resizing(10, 8, interpolation="nearest", crop_to_aspect_ratio=True)(x)
    x = layers.Conv2D(4, 3, name="conv")(x)
    x = layers.GlobalAveragePooling2D()(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="preprocessing_model")


def convnext_blocks():
    """Two ConvNeXt blocks built with keras.applications' own ConvNeXtBlock (LayerScale inside)."""
    from keras.src.applications import convnext
    inp = keras.Input((32, 32, 3), name="image")
    x = layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                             variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
                             name="convnext_prestem_normalization")(inp)
    x = layers.Conv2D(16, 4, strides=4, name="stem_conv")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name="stem_layernorm")(x)
    x = convnext.ConvNeXtBlock(16, layer_scale_init_value=1e-6, name="stage0_block0")(x)
    x = convnext.ConvNeXtBlock(16, layer_scale_init_value=1e-6, name="stage0_block1")(x)
    x = layers.GlobalAveragePooling2D(name="head_gap")(x)
    x = layers.LayerNormalization(epsilon=1e-6, name="head_layernorm")(x)
    out = layers.Dense(10, name="head_dense")(x)
    return keras.Model(inp, out, name="convnext_blocks")


def inception_resnet_blocks():
    """One block of each Inception-ResNet kind, built with keras.applications' own
    inception_resnet_block (CustomScaleLayer joins the residual)."""
    from keras.src.applications import inception_resnet_v2 as irv2
    inp = keras.Input((17, 17, 8), name="features")
    x = irv2.conv2d_bn(inp, 32, 3)
    x = irv2.inception_resnet_block(x, scale=0.17, block_type="block35", block_idx=1)
    x = irv2.conv2d_bn(x, 64, 3, strides=2, padding="valid")
    x = irv2.inception_resnet_block(x, scale=0.1, block_type="block17", block_idx=1)
    x = irv2.inception_resnet_block(x, scale=1.0, activation=None, block_type="block8", block_idx=10)
    x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    out = layers.Dense(5, name="predictions")(x)
    return keras.Model(inp, out, name="inception_resnet_blocks")


def convnext_tiny():
    return keras.applications.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), classes=10)


def efficientnet_b0():
    return keras.applications.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=10)


def mobilenet_v3_small():
    return keras.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=10)


def conv1d_family():
    inp = keras.Input((32, 4), name="signal")
    x = layers.DepthwiseConv1D(3, depth_multiplier=2, padding="same")(inp)
    x = layers.SeparableConv1D(8, 3, dilation_rate=2, padding="same")(x)
    x = layers.Conv1DTranspose(4, 3, strides=2)(x)
    x = layers.Conv1D(6, 3, padding="causal", dilation_rate=2)(x)
    x = layers.Conv1D(6, 1, groups=2, use_bias=False)(x)
    x = layers.SeparableConv1D(4, 5, strides=2, depth_multiplier=2, use_bias=False)(x)
    x = layers.DepthwiseConv1D(3, strides=2, use_bias=False)(x)
    x = layers.GlobalMaxPooling1D()(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="conv1d_family")


def conv2d_modes():
    inp = keras.Input((16, 16, 3), name="image")
    x = layers.Conv2D(8, 3, strides=2, padding="same")(inp)
    x = layers.Conv2D(8, 3, dilation_rate=2, padding="same")(x)
    x = layers.DepthwiseConv2D(3, strides=2, depth_multiplier=3, padding="same")(x)
    x = layers.SeparableConv2D(8, 3, depth_multiplier=2, dilation_rate=2, padding="same")(x)
    x = layers.Conv2DTranspose(4, 3, strides=2, output_padding=1, padding="same")(x)
    x = layers.Conv2DTranspose(4, (2, 3), dilation_rate=2, use_bias=False)(x)
    x = layers.Conv2D(6, (1, 3), strides=(1, 2), groups=2)(x)
    x = layers.ZeroPadding2D(1)(x)
    x = layers.UpSampling2D(2)(x)
    x = layers.AveragePooling2D(3)(x)
    x = layers.GlobalAveragePooling2D()(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="conv2d_modes")


def conv3d_transpose():
    inp = keras.Input((4, 4, 4, 2), name="volume")
    x = layers.Conv3DTranspose(3, 3, strides=2, padding="same")(inp)
    x = layers.Conv3DTranspose(2, (2, 3, 3), strides=(1, 2, 2), use_bias=False)(x)
    x = layers.Conv3D(4, 3, strides=2, groups=2)(x)
    x = layers.GlobalAveragePooling3D()(x)
    out = layers.Dense(1, name="head")(x)
    return keras.Model(inp, out, name="conv3d_transpose_model")


def channels_first():
    inp = keras.Input((3, 12, 12), name="image_nchw")
    x = layers.Conv2D(6, 3, data_format="channels_first")(inp)
    x = layers.BatchNormalization(axis=1)(x)
    x = layers.MaxPooling2D(2, data_format="channels_first")(x)
    x = layers.DepthwiseConv2D(3, data_format="channels_first", padding="same")(x)
    x = layers.Conv2DTranspose(4, 2, strides=2, data_format="channels_first")(x)
    x = layers.Conv1D(5, 3, data_format="channels_first")(layers.Reshape((4, 100))(x))
    x = layers.GlobalAveragePooling1D(data_format="channels_first")(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(inp, out, name="channels_first_model")


def normalization_family():
    inp = keras.Input((6, 8, 12), name="features")
    x = layers.GroupNormalization(groups=4)(inp)
    x = layers.UnitNormalization()(x)
    x = layers.RMSNormalization()(x)
    x = layers.LayerNormalization(rms_scaling=True)(x)
    x = layers.LayerNormalization(axis=[2, 3], center=False)(x)
    x = layers.BatchNormalization(axis=1, center=False)(x)
    x = layers.GroupNormalization(groups=-1, scale=False)(x)
    x = layers.PReLU(shared_axes=[1, 2])(x)
    x = layers.PReLU()(x)
    out = layers.Dense(3, name="head")(x)   # Dense on a 4-D input: the last axis only
    return keras.Model(inp, out, name="normalization_family")


def preprocessing_adapted():
    rng = np.random.default_rng(SEED)
    num = keras.Input((4,), name="numeric")
    raw = keras.Input((3,), name="raw")
    norm = layers.Normalization(name="adapted_normalization")
    norm.adapt(rng.normal(2.0, 3.0, size=(64, 4)).astype("float32"))
    a = norm(num)
    b = layers.Normalization(mean=1.0, variance=4.0, name="fixed_normalization")(num)
    c = layers.Discretization(bin_boundaries=[-1.0, 0.0, 1.0])(raw)
    c = layers.CategoryEncoding(num_tokens=4, output_mode="count")(c)
    d = layers.Normalization(axis=None, invert=True, mean=0.5, variance=2.0, name="inverted")(raw)
    x = layers.Concatenate()([a, b, c, d])
    out = layers.Dense(2, name="head")(x)
    return keras.Model([num, raw], out, name="preprocessing_adapted")


def integer_lookup():
    ids = keras.Input((5,), dtype="int64", name="ids")
    x = layers.IntegerLookup(vocabulary=[3, 5, 7, 11, 13])(ids)
    x = layers.Embedding(6, 4)(x)
    h = layers.Hashing(num_bins=16)(ids)
    h = layers.Embedding(16, 4, name="hashed_embedding")(h)
    x = layers.Concatenate()([x, h])
    x = layers.GlobalAveragePooling1D()(x)
    out = layers.Dense(2, name="head")(x)
    return keras.Model(ids, out, name="integer_lookup_model")


def string_lookup():
    words = keras.Input((4,), dtype="string", name="words")
    x = layers.StringLookup(vocabulary=["the", "cat", "sat", "on", "mat"])(words)
    x = layers.Embedding(6, 8, name="embedding")(x)
    x = layers.LSTM(4)(x)
    out = layers.Dense(1, name="head")(x)
    return keras.Model(words, out, name="string_lookup_model")


def rnn_modes():
    seq = keras.Input((8, 5), name="sequence")
    short = keras.Input((4, 3), name="short")
    x = layers.Masking(0.0)(seq)
    x = layers.LSTM(6, return_sequences=True)(x)
    x = layers.GRU(4, reset_after=False, return_sequences=True)(x)
    x = layers.SimpleRNN(3, go_backwards=True, activation="relu")(x)
    y = layers.LSTM(3, unroll=True, use_bias=False)(short)
    z, h, c = layers.LSTM(2, return_state=True, recurrent_dropout=0.1)(short)
    w = layers.GRU(2, unroll=True, reset_after=True)(short)
    x = layers.Concatenate()([x, y, z, h, c, w])
    out = layers.Dense(1, name="head")(x)
    return keras.Model([seq, short], out, name="rnn_modes_model")


def bidirectional_modes():
    inp = keras.Input((7, 5), name="sequence")
    x = layers.Bidirectional(layers.GRU(3, return_sequences=True), merge_mode="sum")(inp)
    x = layers.Bidirectional(layers.GRU(3, return_sequences=True, reset_after=False), merge_mode="mul")(x)
    x = layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True), merge_mode="ave")(x)
    x = layers.Bidirectional(layers.LSTM(2, return_sequences=True), merge_mode="concat")(x)
    f, b = layers.Bidirectional(layers.GRU(2), merge_mode=None)(x)
    x = layers.Concatenate()([f, b])
    out = layers.Dense(1, name="head")(x)
    return keras.Model(inp, out, name="bidirectional_modes_model")


def time_distributed():
    inp = keras.Input((3, 10, 10, 2), name="clips")
    x = layers.TimeDistributed(layers.Conv2D(4, 3))(inp)
    x = layers.TimeDistributed(layers.MaxPooling2D())(x)
    x = layers.TimeDistributed(layers.Flatten())(x)
    x = layers.TimeDistributed(layers.Dense(5))(x)
    x = layers.LSTM(4)(x)
    out = layers.Dense(1, name="head")(x)
    return keras.Model(inp, out, name="time_distributed_model")


def embeddings_and_dot():
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    tied = layers.ReversibleEmbedding(30, 8, name="tied")
    untied = layers.ReversibleEmbedding(30, 8, tie_weights=False, name="untied")
    h = tied(tokens)
    h = layers.Dense(8, activation="tanh", name="mix")(h)     # Dense on a 3-D input
    logits = tied(h, reverse=True)
    u = untied(tokens)
    u_logits = untied(u, reverse=True)
    sim = layers.Dot(axes=(2, 2), name="similarity")([h, u])
    cos = layers.Dot(axes=2, normalize=True, name="cosine")([h, h])
    return keras.Model(tokens, [logits, u_logits, sim, cos], name="embeddings_and_dot")


def spectrograms():
    audio = keras.Input((256, 1), name="audio")
    wave = keras.Input((512,), name="wave")
    x = layers.STFTSpectrogram(mode="log", frame_length=64, frame_step=32, fft_length=64)(audio)
    x = layers.Flatten()(x)
    y = layers.MelSpectrogram(fft_length=128, sequence_stride=64, num_mel_bins=16, sampling_rate=8000)(wave)
    y = layers.Flatten()(y)
    x = layers.Concatenate()([x, y])
    out = layers.Dense(2, name="head")(x)
    return keras.Model([audio, wave], out, name="spectrograms")


def quantized_int8():
    tokens = keras.Input((6,), dtype="int32", name="tokens")
    x = layers.Embedding(40, 8)(tokens)
    x = layers.EinsumDense("abc,cd->abd", output_shape=(None, 16), bias_axes="d")(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dense(8, activation="relu")(x)
    out = layers.Dense(2, name="head")(x)
    model = keras.Model(tokens, out, name="quantized_int8")
    model.quantize("int8")
    return model


def _app_objects(module: str, *names):
    import importlib
    mod = importlib.import_module(module)
    return {n: getattr(mod, n) for n in names}


# (name, builder, description)
SPECS = [
    Spec("convlstm1d", convlstm1d,
         "ConvLSTM1D(4, 3, same, return_sequences) -> ConvLSTM1D(5, 3, strides 2) on 6 steps of 16x3 -> "
         "GlobalAvgPool1D -> Dense(2)"),
    Spec("convlstm2d", convlstm2d,
         "ConvLSTM2D(4, 3x3, valid, return_sequences) -> ConvLSTM2D(3, 3x3, strides 2, same, no bias) on 5 "
         "steps of 12x12x2 -> Flatten -> Dense(2)"),
    Spec("convlstm3d", convlstm3d, "ConvLSTM3D(2, 3x3x3, same) on 4 steps of 6x6x6x1 -> Flatten -> Dense(1)"),
    Spec("attention", attention,
         "Attention (Luong) in five modes on query 8x16, value/key 10x16: dot, dot with use_scale (key "
         "given), score_mode concat, concat with use_scale and dropout, causal self-attention; concatenated"),
    Spec("additive_attention", additive_attention,
         "AdditiveAttention (Bahdanau) with and without use_scale on query 8x16, value/key 10x16 -> "
         "Concatenate -> Dense(4)"),
    Spec("group_query_attention", group_query_attention,
         "GroupQueryAttention self-attention (4 query heads, 2 kv heads, head_dim 8) on 10x32, then "
         "cross-attention (6/3 heads, head_dim 6, no bias) onto a 7x32 memory; class GroupQueryAttention "
         "(config name GroupQueryAttention in .keras, GroupedQueryAttention in .h5)"),
    Spec("einsum_dense", einsum_dense,
         "EinsumDense chain on 10x16: abc,cd->abd (output_shape (None, 32), bias d), abc,cde->abde "
         "((None, 4, 8), bias de), abcd,cde->abe ((None, 16), no bias), ...b,bc->...c (6, bias c)"),
    Spec("rnn_stacked_cells", rnn_stacked_cells,
         "RNN(StackedRNNCells([LSTMCell(8, dropout 0.1), GRUCell(5)]), return_sequences) on 7x6 -> "
         "GlobalAvgPool1D -> Dense(2)"),
    Spec("rnn_simple_cell", rnn_simple_cell, "RNN(SimpleRNNCell(6)) on 9x4 -> Dense(1)"),
    Spec("spectral_norm", spectral_norm,
         "SpectralNormalization(Conv2D(4, 3x3)) on 8x8x3 -> Flatten -> SpectralNormalization(Dense(8), "
         "power_iterations 2) -> Dense(1); each wrapper holds the wrapped kernel once (stored twice in the "
         "Keras 3 files, as vars and layer/vars) plus a non-trainable vector_u"),
    Spec("mha_modes", mha_modes,
         "MultiHeadAttention with output_shape=24 and value_dim 6 (query 6x16, value 9x12), with "
         "output_shape=(2, 5) and no bias, and with attention_axes=(1, 2) on a 4-D 4x5x16 input"),
    Spec("embedding_mask_lstm", embedding_mask_lstm,
         "Embedding(50, 8, mask_zero=True) on 12 int32 tokens -> LSTM(6, return_sequences) -> GRU(4) -> "
         "Dense(1); the mask (tokens != 0) flows into both recurrent layers", int_high=50),
    Spec("preprocessing", preprocessing,
         "image preprocessing in the model on 20x24x3: Resizing(16, 16) -> RandomFlip -> RandomRotation -> "
         "RandomZoom -> RandomTranslation -> RandomContrast -> RandomCrop(14, 14) -> "
         "Rescaling -> CenterCrop(12, 12) -> Resizing(10, 8, nearest, crop_to_aspect_ratio) -> Conv2D(4, 3x3) "
         "-> GlobalAvgPool2D -> Dense(2); random layers are identities at inference (RandomBrightness is left out: "
         "Keras 3.15 cannot write it to a legacy .h5, TypeError: cannot pickle 'module' object)"),
    # keras.applications' own layers: LayerScale (ConvNeXt), CustomScaleLayer (Inception-ResNet v2).
    # They are not registered: .keras finds them by their module, the legacy .h5 loader needs them as
    # custom_objects.
    Spec("convnext_blocks", convnext_blocks,
         "keras.applications ConvNeXt pieces on 32x32x3: Normalization(ImageNet mean/variance) -> Conv2D(16, 4, "
         "s4) -> LayerNormalization -> two ConvNeXtBlock(16) (7x7 depthwise Conv2D groups=16 -> LayerNorm -> "
         "Dense 64 -> gelu -> Dense 16 -> LayerScale(1e-6, 16) -> Add) -> GAP -> LayerNorm -> Dense(10); "
         "LayerScale is keras.src.applications.convnext.LayerScale",
         custom_objects=_app_objects("keras.src.applications.convnext", "LayerScale")),
    Spec("inception_resnet_blocks", inception_resnet_blocks,
         "keras.applications Inception-ResNet v2 pieces on 17x17x8: conv2d_bn(32, 3x3) -> block35 (scale 0.17) -> "
         "conv2d_bn(64, 3x3, s2, valid) -> block17 (scale 0.1) -> block8 (scale 1, no activation) -> GAP -> "
         "Dense(5); conv2d_bn is Conv2D without bias + BatchNormalization(scale=False); each block's residual "
         "is joined by keras.src.applications.inception_resnet_v2.CustomScaleLayer",
         custom_objects=_app_objects("keras.src.applications.inception_resnet_v2", "CustomScaleLayer")),
    Spec("convnext_tiny", convnext_tiny,
         "keras.applications.ConvNeXtTiny(weights=None, input_shape=(32, 32, 3), classes=10): 18 ConvNeXt blocks "
         "with LayerScale, preprocessing Normalization inside the model",
         custom_objects=_app_objects("keras.src.applications.convnext", "LayerScale")),
    Spec("efficientnet_b0", efficientnet_b0,
         "keras.applications.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=10): Rescaling and "
         "Normalization preprocessing, MBConv blocks (DepthwiseConv2D, squeeze-excite Reshape/Multiply), "
         "BatchNormalization, Dropout"),
    Spec("mobilenet_v3_small", mobilenet_v3_small,
         "keras.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=10): Rescaling, "
         "hard-swish as ReLU(6)/Multiply, squeeze-excite, BatchNormalization, a 1x1 Conv2D classifier"),
    # every other public keras.layers class that holds weights or does conv / matmul work
    Spec("conv1d_family", conv1d_family,
         "on 32x4: DepthwiseConv1D(3, multiplier 2, same) -> SeparableConv1D(8, 3, dilation 2, same) -> "
         "Conv1DTranspose(4, 3, s2) -> Conv1D(6, 3, causal, dilation 2) -> Conv1D(6, 1, groups 2, no bias) -> "
         "SeparableConv1D(4, 5, s2, multiplier 2, no bias) -> DepthwiseConv1D(3, s2, no bias) -> GlobalMaxPool1D "
         "-> Dense(2)"),
    Spec("conv2d_modes", conv2d_modes,
         "on 16x16x3: Conv2D(8, 3, s2, same) -> Conv2D(8, 3, dilation 2, same) -> DepthwiseConv2D(3, s2, "
         "multiplier 3, same) -> SeparableConv2D(8, 3, multiplier 2, dilation 2, same) -> Conv2DTranspose(4, 3, "
         "s2, output_padding 1, same) -> Conv2DTranspose(4, 2x3, dilation 2, no bias) -> Conv2D(6, 1x3, s(1, 2), "
         "groups 2) -> ZeroPadding2D -> UpSampling2D -> AveragePooling2D(3) -> GAP -> Dense(2)"),
    Spec("conv3d_transpose", conv3d_transpose,
         "on 4x4x4x2: Conv3DTranspose(3, 3, s2, same) -> Conv3DTranspose(2, 2x3x3, s(1, 2, 2), no bias) -> "
         "Conv3D(4, 3, s2, groups 2) -> GAP3D -> Dense(1)"),
    Spec("channels_first", channels_first,
         "data_format channels_first on 3x12x12: Conv2D(6, 3) -> BatchNormalization(axis 1) -> MaxPool2D -> "
         "DepthwiseConv2D(3, same) -> Conv2DTranspose(4, 2, s2) -> Reshape(4, 100) -> Conv1D(5, 3) -> "
         "GlobalAvgPool1D -> Dense(2) (prediction not compared: TensorFlow's CPU conv has no NCHW kernel)",
         predict=False),
    Spec("normalization_family", normalization_family,
         "on 6x8x12: GroupNormalization(4) -> UnitNormalization -> RMSNormalization -> LayerNormalization("
         "rms_scaling) -> LayerNormalization(axis [2, 3], no center) -> BatchNormalization(axis 1, no center) -> "
         "GroupNormalization(groups -1, no scale) -> PReLU(shared_axes [1, 2]) -> PReLU -> Dense(3) on the 4-D "
         "tensor"),
    Spec("preprocessing_adapted", preprocessing_adapted,
         "Normalization adapted on 64 samples (non-trainable mean, variance and an int64 count), Normalization "
         "with fixed mean/variance (no weights), Discretization(3 boundaries) -> CategoryEncoding(4, count), "
         "an inverted Normalization(axis None), Concatenate -> Dense(2)"),
    Spec("integer_lookup", integer_lookup,
         "IntegerLookup(vocabulary of 5) -> Embedding(6, 4) and Hashing(16) -> Embedding(16, 4) on 5 int64 ids, "
         "Concatenate -> GlobalAvgPool1D -> Dense(2)", int_high=14),
    Spec("string_lookup", string_lookup,
         "StringLookup(vocabulary of 5) on 4 string tokens -> Embedding(6, 8) -> LSTM(4) -> Dense(1); FLOPs "
         "measured from the Embedding's input on (torch has no string tensors; the lookup does no conv/matmul "
         "work)", measure_from="embedding", int_high=6),
    Spec("rnn_modes", rnn_modes,
         "Masking -> LSTM(6, return_sequences) -> GRU(4, reset_after=False, return_sequences) -> SimpleRNN(3, "
         "go_backwards, relu) on 8x5; LSTM(3, unroll, no bias), LSTM(2, return_state, recurrent_dropout) and "
         "GRU(2, unroll) on 4x3; Concatenate -> Dense(1)"),
    Spec("bidirectional_modes", bidirectional_modes,
         "Bidirectional on 7x5 in every merge mode: GRU(3) sum -> GRU(3, reset_after=False) mul -> SimpleRNN(2) "
         "ave -> LSTM(2) concat -> GRU(2) None (two outputs) -> Concatenate -> Dense(1)"),
    Spec("time_distributed", time_distributed,
         "TimeDistributed(Conv2D(4, 3)) -> TimeDistributed(MaxPool2D) -> TimeDistributed(Flatten) -> "
         "TimeDistributed(Dense(5)) on 3 frames of 10x10x2 -> LSTM(4) -> Dense(1)"),
    Spec("embeddings_and_dot", embeddings_and_dot,
         "ReversibleEmbedding(30, 8) tied (called twice: lookup and reverse=True logits) and untied (own "
         "reverse_embeddings), Dense(8) on the 3-D 6x8 tensor, Dot(axes (2, 2)) and Dot(axes 2, normalize)",
         int_high=30),
    Spec("spectrograms", spectrograms,
         "STFTSpectrogram(log, frame 64, step 32, fft 64; non-trainable real/imaginary kernels, a conv) on 256x1 "
         "and MelSpectrogram(fft 128, stride 64, 16 mel bins; torch.stft is not counted by FlopCounterMode, the "
         "mel matmul is) on 512 samples -> Flatten -> Concatenate -> Dense(2)"),
    Spec("quantized_int8", quantized_int8,
         "model.quantize('int8') of Embedding(40, 8) -> EinsumDense(abc,cd->abd, 16) -> GAP -> Dense(8) -> "
         "Dense(2): int8 kernels / embeddings with float32 scales", int_high=40),
]


# --------------------------------------------------------------------------------------------
# Shared helpers (both processes)
# --------------------------------------------------------------------------------------------

def numel(shape) -> int:
    return int(math.prod(int(d) for d in shape))


def fresh(builder):
    keras.backend.clear_session()
    keras.utils.set_random_seed(SEED)
    return builder()


def sample_inputs(spec: Spec, inputs, batch: int):
    """Deterministic input arrays for a list of symbolic inputs, batch `batch`."""
    rng = np.random.default_rng(SEED)
    arrays = []
    for t in inputs:
        shape = (batch,) + tuple(int(d) for d in t.shape[1:])
        dtype = str(t.dtype)
        if dtype == "string":
            arrays.append(rng.choice(np.array(["the", "cat", "sat", "on", "mat", "dog"], dtype=object), size=shape))
        elif "int" in dtype:
            arrays.append(rng.integers(1, spec.int_high, size=shape).astype(dtype))
        else:
            arrays.append(rng.normal(size=shape).astype(dtype))
    return arrays


def spec_by_name(name: str) -> Spec:
    return next(s for s in SPECS if s.name == name)


# --------------------------------------------------------------------------------------------
# FLOP measurement (child process, KERAS_BACKEND=torch)
# --------------------------------------------------------------------------------------------

def measure_flops(spec: Spec) -> dict:
    """FlopCounterMode around one inference call of OUT/<name>.keras loaded under the torch backend.

    Recurrent layers: Keras's torch backend calls an RNN cell more often than there are time steps
    (SimpleRNN, ConvLSTM, RNN over cells and masked LSTM/GRU run the step once before the loop to
    learn its output structure; RNN(StackedRNNCells) also calls every cell once on the first step
    to set up dropout masks). Every leaf cell's call() is wrapped to record the FLOPs counted
    inside it; all calls of one cell have the same cost (same batch and dims), and the recurrent
    layer's figure is replaced by exactly T (= the sequence length) times that per-step cost. The
    number of calls seen is written to the entry (`rnn_steps`)."""
    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel
    from torch.utils.flop_counter import FlopCounterMode
    from keras.src.layers.rnn.conv_lstm import ConvLSTMCell

    torch.backends.mkldnn.enabled = False
    keras.backend.clear_session()
    model = keras.saving.load_model(OUT / f"{spec.name}.keras", compile=False)
    if spec.measure_from:
        start = model.get_layer(spec.measure_from).input
        model = keras.Model(start, model.outputs)
    counter = FlopCounterMode(display=False)
    leaf_cells = (layers.LSTMCell, layers.GRUCell, layers.SimpleRNNCell, ConvLSTMCell)

    def wrap(layer, log):
        # a quantized layer runs quantized_call() instead of call()
        method = "quantized_call" if getattr(layer, "quantization_mode", None) else "call"
        original = getattr(layer, method)

        def call(*args, **kwargs):
            before = counter.get_total_flops()
            out = original(*args, **kwargs)
            log.append((counter.get_total_flops() - before, args))
            return out

        setattr(layer, method, call)

    per_layer = {}
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        per_layer[layer.name] = []
        wrap(layer, per_layer[layer.name])
    cells, rnn_steps = {}, {}
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if isinstance(layer, layers.RNN):
            steps, seen = [], []
            cells[id(layer)] = (layer, steps, seen)
            wrap(layer, seen)  # seen: (flops, args) of each call; args[0] is the sequence batch
            own = layer.cell.cells if isinstance(layer.cell, layers.StackedRNNCells) else [layer.cell]
            for cell in own:
                log = []
                steps.append((cell, log))
                wrap(cell, log)
    x = sample_inputs(spec, model.inputs, BATCH)
    with torch.no_grad(), sdpa_kernel(SDPBackend.MATH), counter:
        model(x[0] if len(x) == 1 else x, training=False)
    measured = counter.get_total_flops()

    # RNN correction, attributed to the top-level layer holding the recurrent layer
    owner = {}
    for top in model.layers:
        for sub in top._flatten_layers(include_self=True, recursive=True):
            owner[id(sub)] = top.name
    correction = {}
    gates = {layers.LSTMCell: 4, layers.GRUCell: 3, layers.SimpleRNNCell: 1}
    for rnn, steps, seen in cells.values():
        assert len(seen) == 1, (spec.name, rnn.name, len(seen))
        time_steps = int(seen[0][1][0].shape[1])
        width = int(seen[0][1][0].shape[-1])
        layer_delta, formula = 0, 0
        for cell, log in steps:
            costs = sorted({c for c, _ in log})
            key = f"{rnn.name}/{cell.name}"
            if not log:
                # unmasked LSTM / GRU: the backend's own fallback loop (backend.lstm / backend.gru)
                # uses the cell's weights without calling the cell, exactly T steps
                rnn_steps[key] = {"time_steps": time_steps, "cell_calls": 0,
                                  "note": "backend fallback loop, the cell is not called"}
            else:
                assert len(costs) == 1, (spec.name, rnn.name, cell.name, costs)
                layer_delta += (len(log) - time_steps) * costs[0]
                rnn_steps[key] = {"time_steps": time_steps, "cell_calls": len(log), "flops_per_step": costs[0]}
            if formula is not None and type(cell) in gates:
                formula += 2 * BATCH * time_steps * gates[type(cell)] * cell.units * (width + cell.units)
                width = cell.units
            else:
                formula = None
        top = owner.get(id(rnn), rnn.name)
        correction[top] = correction.get(top, 0) + layer_delta
        # cross-check: the corrected figure of a standard recurrent layer is T * G * h * (d + h) MACs
        if formula is not None:
            assert seen[0][0] - layer_delta == formula, (spec.name, rnn.name, seen[0][0], layer_delta, formula)
    layer_flops = {n: sum(c for c, _ in log) - correction.get(n, 0) for n, log in per_layer.items()}
    flops = measured - sum(correction.values())
    assert sum(layer_flops.values()) == flops, (spec.name, layer_flops, flops)
    return {"flops": flops, "measured": measured, "layers": layer_flops, "rnn_steps": rnn_steps}


def measure_main(names) -> int:
    import torch
    result = {"torch": torch.__version__, "keras": keras.__version__, "fixtures": {}}
    for name in names:
        result["fixtures"][name] = measure_flops(spec_by_name(name))
    print("MEASURED " + json.dumps(result))
    return 0


# --------------------------------------------------------------------------------------------
# Saving and checking (TensorFlow process)
# --------------------------------------------------------------------------------------------

def io_shape(shape):
    return ["batch" if i == 0 and d is None else None if d is None else int(d) for i, d in enumerate(shape)]


def layer_entries(model, kf):
    rows = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        shapes = []
        for node in layer._inbound_nodes:
            for t in keras.tree.flatten(node.output_tensors):
                shapes.append(io_shape(t.shape))
        trainable = sum(numel(w.shape) for w in layer.trainable_weights)
        non_trainable = sum(numel(w.shape) for w in layer.non_trainable_weights)
        rows.append({"name": layer.name, "class": layer.__class__.__name__,
                     "params": int(layer.count_params()) if layer.built else 0,
                     "trainable": trainable, "non_trainable": non_trainable, "output_shapes": shapes})
    return rows


def keras3_archive_layout(src: Path, dst: Path, strip: bool, tmp: Path, kf):
    """kf.repack_keras, but an archive may also hold assets/ (lookup vocabularies): copied as is."""
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
    if names == ["metadata.json", "config.json", "model.weights.h5"]:
        kf.repack_keras(src, dst, strip, tmp)
        return
    raise AssertionError(f"unexpected .keras entries {names}")


def stored_weight_totals(path: Path, kf, legacy: bool):
    if legacy:
        return kf.stored_totals(kf.stored_datasets(path, "model_weights"))
    import h5py
    ds = kf.stored_datasets(path, "layers")
    with h5py.File(path, "r") as f:
        if len(f["vars"]):
            ds += kf.stored_datasets(path, "vars")
    return kf.stored_totals(ds)


def save_all(spec: Spec, model, tmp: Path, big: bool, kf) -> dict:
    """Saves the three formats into OUT; returns {suffix: note} of what the stored datasets hold."""
    notes = {}
    real = tmp / f"{spec.name}.keras"
    model.save(real)
    keras3_archive_layout(real, OUT / real.name, big, tmp, kf)
    with zipfile.ZipFile(real) as z:
        inner = tmp / "inner.weights.h5"
        inner.write_bytes(z.read("model.weights.h5"))
    notes[".keras"] = stored_weight_totals(inner, kf, legacy=False)
    real.unlink()
    inner.unlink()

    real = tmp / f"{spec.name}.h5"
    model.save(real)
    notes[".h5"] = stored_weight_totals(real, kf, legacy=True)
    kf.copy_or_strip(real, OUT / real.name, big)
    real.unlink()

    real = tmp / f"{spec.name}.weights.h5"
    model.save_weights(real)
    notes[".weights.h5"] = stored_weight_totals(real, kf, legacy=False)
    kf.copy_or_strip(real, OUT / real.name, big)
    real.unlink()
    return notes


def verify(spec: Spec, model, big: bool):
    """Every file loads back in Keras with the same count, weights and (data kept) prediction."""
    want = [keras.ops.convert_to_numpy(w.value) for w in model.weights]
    x = sample_inputs(spec, model.inputs, 2)
    feed = x[0] if len(x) == 1 else x
    check_values = spec.predict and not big

    def run(m):
        if any(a.dtype == object for a in x):  # strings: predict() refuses object arrays
            import tensorflow as tf
            return [keras.ops.convert_to_numpy(t) for t in keras.tree.flatten(
                m(keras.tree.map_structure(tf.constant, feed), training=False))]
        return keras.tree.flatten(m.predict(feed, verbose=0))

    y_want = run(model) if check_values else None

    def same(loaded, what):
        assert loaded.count_params() == model.count_params(), (spec.name, what, loaded.count_params())
        got = [keras.ops.convert_to_numpy(w.value) for w in loaded.weights]
        assert [g.shape for g in got] == [w.shape for w in want], (spec.name, what)
        if not big:
            assert all(np.array_equal(g, w) for g, w in zip(got, want)), (spec.name, what)
        if check_values:
            y = run(loaded)
            assert all(np.allclose(a, b, atol=1e-5) for a, b in zip(y, y_want)), (spec.name, what)

    same(keras.saving.load_model(OUT / f"{spec.name}.keras", compile=False), ".keras")
    notes = {}
    try:
        loaded = keras.saving.load_model(OUT / f"{spec.name}.h5", compile=False,
                                         custom_objects=spec.custom_objects or None)
    except Exception as e:  # noqa: BLE001 - a Keras legacy-loader bug, recorded in the entry
        loaded, extra = legacy_h5_rebuild(spec, OUT / f"{spec.name}.h5")
        ops = f" (besides the layers, model_config holds the operation nodes {extra})" if extra else ""
        notes[".h5"] = (f"keras.saving.load_model refuses this legacy .h5 ({type(e).__name__}: "
                        f"{str(e).splitlines()[0][:160]}); checked instead: its model_config lists the model's "
                        f"layers{ops}, and its model_weights load into a fresh model with "
                        "legacy_h5_format.load_weights_from_hdf5_group")
    same(loaded, ".h5")
    again = fresh(spec.builder)
    again.load_weights(OUT / f"{spec.name}.weights.h5")
    same(again, ".weights.h5")
    return notes


def legacy_h5_rebuild(spec: Spec, path: Path):
    """For a legacy .h5 Keras's own loader refuses: the stored model_config must list the model's
    layers (names and classes, in order; the operations it also holds as nodes, such as the NotEqual
    a mask_zero Embedding's mask becomes, are reported), and its model_weights must load into a fresh model with
    Keras's legacy weight loader."""
    import h5py
    from keras.src.legacy.saving import legacy_h5_format
    model = fresh(spec.builder)
    with h5py.File(path, "r") as f:
        config = f.attrs["model_config"]
        config = json.loads(config if isinstance(config, str) else config.decode())
        stored = [(layer["class_name"], layer["config"]["name"]) for layer in config["config"]["layers"]]
        built = [(type(l).__name__, l.name) for l in model.layers]
        names = {b[1] for b in built}
        assert [s for s in stored if s[1] in names] == built, (stored, built)
        extra = [s for s in stored if s[1] not in names]
        legacy_h5_format.load_weights_from_hdf5_group(f["model_weights"], model)
    return model, extra


def counts_of(model, kf) -> dict:
    return kf.framework_counts(model)


def weights_only_split(model, counts) -> dict:
    """What a Keras 3 weights-only file can tell: no trainable flags are stored, but the layer keys
    name the layer class, so weights that class always makes non-trainable (BatchNormalization
    statistics, SpectralNormalization's vector_u, an adapted Normalization's mean / variance / count,
    ...) are known; a layer the user froze would read as trainable (none of these fixtures has one)."""
    frozen = sum(numel(w.shape) for layer in model._flatten_layers(include_self=False)
                 if not layer.trainable for w in layer.trainable_weights + layer.non_trainable_weights
                 if w.trainable)
    assert frozen == 0, frozen
    return dict(counts)


def build_entries(spec: Spec, model, counts, io, rows, flops, big, notes, versions) -> dict:
    lean = " Layout-only: the HDF5 datasets have shape and dtype but no data." if big else ""
    framework = {"name": f"keras {keras.__version__}", "count": counts["total"],
                 "note": "model.count_params(); trainable / non-trainable as model.summary() "
                         f"(sum of trainable_weights / non_trainable_weights sizes), TensorFlow "
                         f"{versions['tensorflow']} backend"}
    compute = None
    if flops is not None:
        compute = {"batch": BATCH, "flops": flops["flops"], "macs": flops["flops"] // 2, "tolerance": TOLERANCE,
                   "flop_counter_raw": flops["measured"],
                   "framework": f"torch {versions['torch']} FlopCounterMode, KERAS_BACKEND=torch, "
                                "SDPA math backend, recurrent layers corrected to T steps"}
        if flops["rnn_steps"]:
            compute["rnn_steps"] = flops["rnn_steps"]
        if spec.measure_from:
            compute["measured_from"] = spec.measure_from
    layer_flops = flops["layers"] if flops else {}
    graph_rows = [dict(r, flops=layer_flops.get(r["name"])) for r in rows]
    inputs, outputs = io
    out = {}
    for suffix, fmt, what in ((".keras", "keras-v3", "model.save() .keras zip"),
                              (".h5", "keras-h5", "model.save() legacy HDF5"),
                              (".weights.h5", "keras-weights-h5", "model.save_weights(), Keras 3 layout, no graph")):
        stored = notes[suffix]
        e = {"format": fmt, "parameters": counts, "description": f"{spec.description}. {what}.{lean}",
             "framework": framework, "layout_only": big,
             "stored_elements": stored[0]}
        if suffix == ".weights.h5":
            e["weights_only"] = True
            e["trainable_split_recorded"] = False
            e["parameters"] = weights_only_split(model, counts)
            e["framework"] = dict(framework, summary_split={"trainable": counts["trainable"],
                                                            "non_trainable": counts["non_trainable"]})
            e["compute"] = None
            e["layers"] = [{k: r[k] for k in ("name", "class", "params", "trainable", "non_trainable")}
                           for r in rows]
        else:
            e["inputs"], e["outputs"] = inputs, outputs
            e["compute"] = compute
            e["layers"] = graph_rows
        out[f"keras/longtail/{spec.name}{suffix}.gz"] = e
    return out


def run_measure(names) -> dict:
    env = dict(os.environ, KERAS_BACKEND="torch")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--measure", *names],
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-6000:])
        raise SystemExit(f"FLOP measurement failed for {names}")
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("MEASURED "))
    return json.loads(line[len("MEASURED "):])


def main(only) -> int:
    sys.path.insert(0, str(HERE))
    import keras_fixtures as kf
    import tensorflow as tf
    OUT.mkdir(parents=True, exist_ok=True)
    specs = [s for s in SPECS if not only or s.name in only]
    assert not only or len(specs) == len(only), only
    built = {}
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        for spec in specs:
            model = fresh(spec.builder)
            counts = counts_of(model, kf)
            big = counts["bytes"] > BIG_BYTES if spec.layout_only is None else spec.layout_only
            notes = save_all(spec, model, tmp, big, kf)
            load_notes = verify(spec, model, big)
            model = fresh(spec.builder)  # verify() rebuilt the session; take the names again
            rows = layer_entries(model, kf)
            assert sum(r["params"] for r in rows) == counts["total"], (spec.name, rows)
            built[spec.name] = (spec, model, counts, kf.io_shapes(model), rows, big, notes, load_notes)
            print(f"{spec.name:24s} total={counts['total']:>10,} trainable={counts['trainable']:>10,} "
                  f"non_trainable={counts['non_trainable']:>6,} {'layout-only' if big else ''}", flush=True)
    measured = run_measure([s.name for s in specs])
    versions = {"tensorflow": tf.__version__, "torch": measured["torch"]}
    fixtures = {}
    for name, (spec, model, counts, io, rows, big, notes, load_notes) in built.items():
        flops = measured["fixtures"][name]
        entries = build_entries(spec, model, counts, io, rows, flops, big, notes, versions)
        for suffix, note in load_notes.items():
            entries[f"keras/longtail/{name}{suffix}.gz"]["keras_load_note"] = note
        fixtures.update(entries)
        print(f"{name:24s} flops={flops['flops']:>14,} (FlopCounterMode {flops['measured']:,})", flush=True)
    for spec in specs:
        for suffix in (".keras", ".h5", ".weights.h5"):
            gzip_file(OUT / f"{spec.name}{suffix}")
    write_expected(fixtures, versions)
    total = sum(p.stat().st_size for p in OUT.iterdir() if p.is_file())
    print(f"{len(fixtures)} entries; {total:,} bytes in {OUT.relative_to(REPO)}")
    return 0


def gzip_file(path: Path):
    """path -> path.gz (no name, mtime 0: reproducible), and the plain file removed."""
    Path(str(path) + ".gz").write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
    path.unlink()


def write_expected(fixtures: dict, versions: dict):
    data = json.loads(EXPECTED.read_text(encoding="utf8")) if EXPECTED.exists() else {}
    # keep the entries of fixtures not regenerated now, as long as their file is still there
    kept = {k: v for k, v in data.get("fixtures", {}).items() if (REPO / "testdata" / k).exists()}
    kept.update(fixtures)
    data = {"generator": "testdata/generate/keras_longtail_fixtures.py", "keras": keras.__version__,
            "tensorflow": versions["tensorflow"], "torch": versions["torch"], "batch": BATCH,
            "flops_tolerance": TOLERANCE, "fixtures": dict(sorted(kept.items()))}
    EXPECTED.write_text(json.dumps(data, indent=2) + "\n", encoding="utf8")


if __name__ == "__main__":
    if MEASURE:
        sys.exit(measure_main(sys.argv[2:]))
    sys.exit(main(sys.argv[1:]))
