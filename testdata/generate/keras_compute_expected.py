#!/usr/bin/env python3
"""Writes testdata/expected-keras-compute.json: MACs / FLOPs of every Keras fixture with a graph.

The model is rebuilt by Keras itself from the config stored in the file (legacy .h5: the
model_config attribute; .keras: config.json), without loading weights, so broken-weight fixtures
(mismatch, missing_weight, extra_weight) still count. Every layer call (a shared layer called twice
counts twice; a nested model counts its own layers) gets its MACs from the per-layer formulas of
/work/shared/reference-counts.md, using the input and output shapes Keras itself gives the call,
with every unknown batch dim taken as 1:

  Dense                 in_features · units per row (all leading dims)
  ConvND (groups g)     K · (Ci/g) · Co · spatial_out
  DepthwiseConvND       K · Ci · m · spatial_out
  SeparableConvND       depthwise + Ci · m · Co · spatial_out
  ConvNDTranspose       K · Ci · Co · spatial_in
  LSTM / GRU / SimpleRNN  T · G · h · (d + h), G = 4 / 3 / 1; Bidirectional: twice the wrapped layer
  MultiHeadAttention    Q, K, V, O projections + scores (H·Tq·Tk·key_dim) + weighted sum (H·Tq·Tk·value_dim)
  everything else       0 MACs (Embedding, pooling, normalisation, activations, reshapes, merges)

FLOPs = 2 · MACs. Fixtures with a Lambda or custom layer are left out (modeltally cannot count what
Python code does; the Java test asserts those stay incomplete).

Run:  /work/venv-keras/bin/python testdata/generate/keras_compute_expected.py
"""
import glob
import json
import math
import os
import sys
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import h5py  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.dirname(HERE)
OUT = os.path.join(TESTDATA, "expected-keras-compute.json")
SKIP = {"lambda_layer", "custom_layer"}


def config_of(path):
    if path.endswith(".keras"):
        with zipfile.ZipFile(path) as z:
            return z.read("config.json").decode()
    with h5py.File(path, "r") as f:
        if "model_config" not in f.attrs:
            return None
        c = f.attrs["model_config"]
        return c.decode() if isinstance(c, bytes) else c


def dims(shape):
    return [1 if d is None else int(d) for d in shape]


def prod(xs):
    return math.prod(xs) if xs else 1


def tup(v, n):
    return [int(v)] * n if isinstance(v, int) else [int(x) for x in v]


def rnn_macs(cls, cfg, x):
    gates = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}[cls]
    b, t, d = x
    h = cfg["units"]
    return b * t * gates * h * (d + h)


def layer_macs(layer, ins, outs):
    cls = layer.__class__.__name__
    cfg = layer.get_config()
    x = ins[0]
    y = outs[0]
    if cls == "Dense":
        return prod(x) * cfg["units"]
    if cls in ("Conv1D", "Conv2D", "Conv3D", "DepthwiseConv2D", "DepthwiseConv1D", "SeparableConv2D",
               "SeparableConv1D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"):
        n = len(x) - 2
        cf = cfg.get("data_format") == "channels_first"
        ci = x[1] if cf else x[-1]
        co = y[1] if cf else y[-1]
        sp_in = x[2:] if cf else x[1:-1]
        sp_out = y[2:] if cf else y[1:-1]
        k = prod(tup(cfg["kernel_size"], n))
        batch = x[0]
        if cls.startswith("Conv") and cls.endswith("Transpose"):
            return batch * k * ci * co * prod(sp_in)
        if cls.startswith("Conv"):
            return batch * k * (ci // cfg.get("groups", 1)) * co * prod(sp_out)
        m = cfg.get("depth_multiplier", 1)
        depthwise = batch * k * ci * m * prod(sp_out)
        if cls.startswith("Depthwise"):
            return depthwise
        return depthwise + batch * ci * m * co * prod(sp_out)
    if cls in ("LSTM", "GRU", "SimpleRNN"):
        return rnn_macs(cls, cfg, x)
    if cls == "Bidirectional":
        return 2 * rnn_macs(layer.forward_layer.__class__.__name__, layer.forward_layer.get_config(), x)
    if cls == "MultiHeadAttention":
        q = x
        v = ins[1] if len(ins) > 1 else q
        k_ = ins[2] if len(ins) > 2 else v
        h, kd = cfg["num_heads"], cfg["key_dim"]
        vd = cfg.get("value_dim") or kd
        b = q[0]
        tq, tv = prod(q[1:-1]), prod(v[1:-1])
        dout = y[-1]
        return b * (tq * q[-1] * h * kd + tv * k_[-1] * h * kd + tv * v[-1] * h * vd
                    + h * tq * tv * kd + h * tq * tv * vd + tq * h * vd * dout)
    return 0


def node_shapes(node):
    ins = [dims(t.shape) for t in keras.tree.flatten(node.input_tensors)]
    outs = [dims(t.shape) for t in keras.tree.flatten(node.output_tensors)]
    return ins, outs


def model_macs(model, per_layer):
    """Sums every layer call of the model's own graph (a Sequential's graph is its _functional)."""
    graph = getattr(model, "_functional", None) or model
    total = 0
    for depth in sorted(graph._nodes_by_depth, reverse=True):
        for node in graph._nodes_by_depth[depth]:
            layer = node.operation
            if isinstance(layer, keras.layers.InputLayer):
                continue
            if isinstance(layer, keras.Model):
                m = model_macs(layer, per_layer)
            else:
                ins, outs = node_shapes(node)
                m = layer_macs(layer, ins, outs)
            per_layer.append((layer.name, layer.__class__.__name__, m))
            total += m
    return total


def main():
    fixtures = {}
    paths = sorted(glob.glob(os.path.join(TESTDATA, "keras", "*.h5")) + glob.glob(os.path.join(TESTDATA, "keras", "*.keras")))
    for path in paths:
        if path.endswith(".weights.h5"):
            continue
        stem = os.path.basename(path).rsplit(".", 1)[0]
        if stem in SKIP:
            continue
        cfg = config_of(path)
        if cfg is None:
            continue
        model = keras.models.model_from_json(cfg, custom_objects={"Sequential": keras.Sequential,
                                                                 "Functional": keras.Model, "Model": keras.Model})
        per_layer = []
        macs = model_macs(model, per_layer)
        rel = os.path.relpath(path, TESTDATA)
        fixtures[rel] = {
            "macs": macs,
            "flops": 2 * macs,
            "tolerance": 0.0,
            "layers": [{"name": n, "class": c, "macs": m} for n, c, m in per_layer if m],
        }
        print(f"{rel:40s} {macs:>16,d} MACs", file=sys.stderr)
    with open(OUT, "w") as f:
        json.dump({"generator": "testdata/generate/keras_compute_expected.py", "keras": keras.__version__,
                   "batch": 1, "skipped": sorted(SKIP), "fixtures": fixtures}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
