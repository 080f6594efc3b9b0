#!/usr/bin/env python3
"""Writes testdata/expected-memory.json (and the fixtures of testdata/memory/): the memory figures of
each fixture from the tensors the framework really makes.

ONNX: the model is loaded (a layout-only file gets random weights of its initializers' dtypes and
shapes, in memory only), every node output is made a graph output (types from
onnx.shape_inference), and onnxruntime runs it once on random inputs of the case's shapes, with graph
optimisations off. Each tensor's size is the nbytes of the array onnxruntime returns. The lifetime
rule of docs/counting.md is then applied here, independently of the Java code, over the stored node
order:

  * a graph input (an initializer listed as an input excluded) is live from step 0 to its last
    consumer; a node output from the step of the node that makes it to its last consumer; a graph
    output to the last step; initializers and Constant outputs are not counted;
  * live(i) = the bytes of the tensors live at step i; peak = max live(i), peak_at = the name of the
    first node where it occurs (its first output when the node has no name);
  * activations = the bytes of every node output, each once (Constant outputs excluded).

KV cache (decoder exports with past_key_values.N.key/value inputs and present.N.key/value outputs):
bytes = the nbytes of the present outputs onnxruntime returns, tokens = their sequence axis (2),
bytes_per_token = bytes / tokens.

Keras: each model is rebuilt by Keras from the config stored in the file (no weights) and every
layer call's output is a tensor of Keras's own output shape (batch None -> 1) and dtype; the same
rule runs over the layer calls in config order, a call consuming the tensors its inbound node reads.

Fixtures made here (testdata/memory/): gpt2_past.onnx and llama_gqa_past.onnx — tiny transformers
GPT-2 and Llama (grouped-query attention: 4 heads, 2 key/value heads) exported with torch.onnx
(TorchScript) taking past_key_values.N.key/value [batch_size, kv_heads, past_sequence_length,
head_dim] and returning present.N.key/value, the names and layout of optimum / onnxruntime-genai
exports; fp16_cnn.onnx — compute/dynamic_batch.onnx converted to float16 with
onnxruntime.transformers.float16 (inputs and outputs float16 too). The decoders are stored
layout-only (weights external, data file absent) after they have been run.

Run:  /work/venv-fixtures/bin/python testdata/generate/memory_expected.py [--onnx-only|--keras-only]
"""
from __future__ import annotations

import json
import os
import sys
import types
import zipfile
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

HERE = Path(__file__).resolve().parent
TESTDATA = HERE.parent
OUT = TESTDATA / "expected-memory.json"
MEMORY = TESTDATA / "memory"
RNG = np.random.default_rng(0)

# (file, input shapes (--input-shape), batch (--batch), description)
ONNX_CASES = [
    ("compute/cnn_seed.onnx", {}, 0, "CNN: Conv 512 5x5 -> MaxPool -> Conv -> MaxPool -> Gemm -> Gemm"),
    ("compute/resnet50.onnx", {}, 0, "torchvision ResNet-50 (residual adds keep the block input live)"),
    ("compute/unet.onnx", {}, 0, "UNet (skip connections live across the network)"),
    ("compute/nanogpt.onnx", {"idx": [2, 16]}, 0, "nanoGPT transformer, dynamo export"),
    ("compute/bert_base.onnx", {"input_ids": [1, 128], "attention_mask": [1, 128]}, 0,
     "BERT-base (transformers), TorchScript export"),
    ("compute/dynamic_batch.onnx", {}, 2, "dynamic-batch CNN at --batch 2"),
    ("compute/dynamic_batch.onnx", {}, 5, "dynamic-batch CNN at --batch 5"),
    ("memory/fp16_cnn.onnx", {}, 3, "float16 CNN (dynamic_batch converted to float16) at --batch 3"),
    ("memory/gpt2_past.onnx", {"input_ids": [2, 3], "attention_mask": [2, 8],
                               "past_key_values.0.key": [2, 4, 5, 16]}, 0,
     "GPT-2 decoder with past/present KV: batch 2, 3 new tokens after 5 past"),
    ("memory/gpt2_past.onnx", {"input_ids": [1, 1], "attention_mask": [1, 12],
                               "past_key_values.0.key": [1, 4, 11, 16]}, 0,
     "GPT-2 decoder with past/present KV: one token after 11"),
    ("memory/llama_gqa_past.onnx", {"input_ids": [2, 3], "attention_mask": [2, 8],
                                    "past_key_values.0.key": [2, 2, 5, 16]}, 0,
     "Llama decoder, grouped-query attention (2 KV heads of 4), past/present KV"),
]
KERAS_CASES = ["keras/cnn_seed.keras", "keras/conv_pool_dense.keras", "keras/mnist_mlp.h5", "keras/vgg16.keras",
               "keras/unet.keras", "keras/batch_norm.keras", "keras/lstm.keras", "keras/multi_head_attention.keras"]


# ---------------------------------------------------------------- fixtures

def import_transformers():
    # the torchvision wheel is built for CUDA torch; transformers imports it (see compute_fixtures.py)
    sys.modules.setdefault("torchvision._meta_registrations", types.ModuleType("torchvision._meta_registrations"))
    import transformers
    return transformers


def export_decoder(kind: str, dst: Path) -> None:
    import torch
    tf = import_transformers()
    torch.manual_seed(0)
    if kind == "gpt2":
        model = tf.GPT2LMHeadModel(tf.GPT2Config(n_embd=64, n_layer=2, n_head=4, vocab_size=1000, n_positions=128,
                                                 bos_token_id=0, eos_token_id=0))
        kv_heads = 4
    else:
        model = tf.LlamaForCausalLM(tf.LlamaConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                                                   num_attention_heads=4, num_key_value_heads=2, vocab_size=1000,
                                                   max_position_embeddings=128, bos_token_id=0, eos_token_id=0))
        kv_heads = 2
    model.eval()
    layers, head_dim = 2, 16

    class WithCache(torch.nn.Module):
        """past_key_values as flat inputs, the cache it returns as flat outputs (optimum's interface)."""

        def __init__(self):
            super().__init__()
            self.m = model

        def forward(self, input_ids, attention_mask, *past):
            cache = tf.DynamicCache()
            for i in range(layers):
                cache.update(past[2 * i], past[2 * i + 1], i)
            out = self.m(input_ids=input_ids, attention_mask=attention_mask, past_key_values=cache, use_cache=True)
            flat = [out.logits]
            for layer in out.past_key_values.layers:
                flat += [layer.keys, layer.values]
            return tuple(flat)

    b, s, p = 2, 3, 5
    args = (torch.randint(0, 1000, (b, s)), torch.ones(b, p + s, dtype=torch.int64),
            *[torch.randn(b, kv_heads, p, head_dim) for _ in range(2 * layers)])
    past = [f"past_key_values.{i}.{k}" for i in range(layers) for k in ("key", "value")]
    present = [f"present.{i}.{k}" for i in range(layers) for k in ("key", "value")]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "past_sequence_length + sequence_length"},
            "logits": {0: "batch_size", 1: "sequence_length"}}
    axes.update({n: {0: "batch_size", 2: "past_sequence_length"} for n in past})
    axes.update({n: {0: "batch_size", 2: "past_sequence_length + sequence_length"} for n in present})
    with torch.no_grad():
        torch.onnx.export(WithCache().eval(), args, str(dst), dynamo=False, opset_version=17,
                          input_names=["input_ids", "attention_mask"] + past, output_names=["logits"] + present,
                          dynamic_axes=axes, do_constant_folding=True)


def make_fp16(dst: Path) -> None:
    from onnxruntime.transformers.float16 import convert_float_to_float16
    model = onnx.load(str(TESTDATA / "compute/dynamic_batch.onnx"))
    onnx.save_model(convert_float_to_float16(model, keep_io_types=False), str(dst))


def layout_only(path: Path) -> None:
    from onnx.external_data_helper import convert_model_to_external_data
    model = onnx.load(str(path))
    data = path.name + ".data"
    convert_model_to_external_data(model, all_tensors_to_one_file=True, location=data, size_threshold=1024,
                                   convert_attribute=False)
    onnx.save_model(model, str(path))
    (path.parent / data).unlink(missing_ok=True)


def make_fixtures() -> None:
    MEMORY.mkdir(exist_ok=True)
    make_fp16(MEMORY / "fp16_cnn.onnx")
    export_decoder("gpt2", MEMORY / "gpt2_past.onnx")
    export_decoder("llama", MEMORY / "llama_gqa_past.onnx")


# ---------------------------------------------------------------- onnxruntime's tensors

def with_random_weights(model: onnx.ModelProto) -> onnx.ModelProto:
    """Initializers whose bytes are external (absent) get random values of their dtype and shape."""
    for i, t in enumerate(model.graph.initializer):
        if t.data_location != onnx.TensorProto.EXTERNAL:
            continue
        dtype = onnx.helper.tensor_dtype_to_np_dtype(t.data_type)
        arr = (RNG.standard_normal(tuple(t.dims)) * 0.02).astype(dtype)
        model.graph.initializer[i].CopyFrom(numpy_helper.from_array(arr, t.name))
    return model


def expose_every_output(model: onnx.ModelProto) -> onnx.ModelProto:
    inferred = onnx.shape_inference.infer_shapes(model)
    types_ = {v.name: v for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
    present = {o.name for o in model.graph.output}
    for n in model.graph.node:
        for o in n.output:
            if o and o not in present:
                v = types_.get(o)
                model.graph.output.append(v if v is not None else onnx.ValueInfoProto(name=o))
                present.add(o)
    return model


def resolve(dims, given, batch, bindings):
    out = []
    for k, d in enumerate(dims):
        if d.HasField("dim_value"):
            out.append(d.dim_value)
        elif d.dim_param in bindings:
            out.append(bindings[d.dim_param])
        elif k == 0:
            out.append(batch or 1)
        else:
            raise ValueError("unresolved dim " + d.dim_param)
    return out


def random_feed(model, shapes, batch):
    init = {t.name for t in model.graph.initializer}
    bindings = {}
    for v in model.graph.input:
        if v.name in shapes:
            for d, n in zip(v.type.tensor_type.shape.dim, shapes[v.name]):
                if d.dim_param:
                    bindings.setdefault(d.dim_param, n)
    feed = {}
    for v in model.graph.input:
        if v.name in init:
            continue
        shape = shapes.get(v.name) or resolve(v.type.tensor_type.shape.dim, shapes, batch, bindings)
        dtype = onnx.helper.tensor_dtype_to_np_dtype(v.type.tensor_type.elem_type)
        if "mask" in v.name:
            feed[v.name] = np.ones(shape, dtype)
        elif np.issubdtype(dtype, np.integer):
            feed[v.name] = RNG.integers(0, 50, shape).astype(dtype)
        else:
            feed[v.name] = RNG.standard_normal(shape).astype(dtype)
    return feed


def lifetime_rule(steps, inputs, outputs):
    """steps: [(name, read names, {output name: bytes})] in order; inputs {name: bytes}; outputs: names."""
    n = len(steps)
    life = {name: [b, 0, 0] for name, b in inputs.items()}
    activations = 0
    for i, (_, reads, made) in enumerate(steps):
        for r in reads:
            if r in life:
                life[r][2] = max(life[r][2], i)
        for o, b in made.items():
            life[o] = [b, i, i]
            activations += b
    for o in outputs:
        if o in life:
            life[o][2] = max(n - 1, 0)
    live = [0] * n
    for b, s, e in life.values():
        for i in range(s, e + 1):
            live[i] += b
    peak = max(live)
    at = live.index(peak)
    return {"activations_bytes": activations, "peak_bytes": peak, "peak_at": steps[at][0]}


def onnx_case(rel, shapes, batch, description):
    import onnxruntime as ort
    model = onnx.load(str(TESTDATA / rel), load_external_data=False)
    original = onnx.ModelProto()
    original.CopyFrom(model)
    model = expose_every_output(with_random_weights(model))
    feed = random_feed(model, shapes, batch)
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    names = [o.name for o in sess.get_outputs()]
    got = dict(zip(names, sess.run(names, feed)))
    g = original.graph
    init = {t.name for t in g.initializer}
    steps = []
    for node in g.node:
        made = {} if node.op_type == "Constant" else {o: int(got[o].nbytes) for o in node.output if o}
        steps.append((node.name or node.output[0], [x for x in node.input if x], made))
    inputs = {k: int(v.nbytes) for k, v in feed.items() if k not in init}
    entry = {"file": rel, "description": description}
    if shapes:
        entry["input_shapes"] = shapes
    if batch:
        entry["batch"] = batch
    entry.update(lifetime_rule(steps, inputs, [o.name for o in g.output]))
    entry["inputs_bytes"] = sum(inputs.values())
    entry["outputs_bytes"] = sum(int(got[o.name].nbytes) for o in g.output)
    present = [o.name for o in g.output if o.name.startswith("present.")]
    if present:
        kv = sum(int(got[p].nbytes) for p in present)
        tokens = got[present[0]].shape[2]
        entry["kv_cache"] = {"bytes": kv, "tokens": int(tokens), "bytes_per_token": kv // int(tokens)}
    entry["framework"] = {"name": "onnxruntime " + ort.__version__,
                          "note": "nbytes of every node output from one run, lifetime rule applied in Python"}
    print(f"{rel:32s} peak {entry['peak_bytes']:>12,d} at {entry['peak_at']}  activations "
          f"{entry['activations_bytes']:,d}", file=sys.stderr)
    return entry


# ---------------------------------------------------------------- Keras's tensors

def keras_case(rel):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import h5py
    import keras
    path = TESTDATA / rel
    if rel.endswith(".keras"):
        with zipfile.ZipFile(path) as z:
            cfg = z.read("config.json").decode()
    else:
        with h5py.File(path, "r") as f:
            c = f.attrs["model_config"]
            cfg = c.decode() if isinstance(c, bytes) else c
    model = keras.models.model_from_json(cfg, custom_objects={"Sequential": keras.Sequential,
                                                             "Functional": keras.Model, "Model": keras.Model})
    graph = getattr(model, "_functional", None) or model
    calls = {}
    for depth in graph._nodes_by_depth:
        for node in graph._nodes_by_depth[depth]:
            if not isinstance(node.operation, keras.layers.InputLayer):
                calls.setdefault(node.operation.name, []).append(node)
    order = [l["config"]["name"] for l in json.loads(cfg)["config"]["layers"]]

    def size(t):
        return int(np.prod([1 if d is None else d for d in t.shape], dtype=np.int64)) * np.dtype(t.dtype).itemsize

    steps = []
    for name in order:
        for node in calls.get(name, []):
            reads = [id(t) for t in keras.tree.flatten(node.input_tensors)]
            made = {id(t): size(t) for t in keras.tree.flatten(node.output_tensors)}
            steps.append((name, reads, made))
    inputs = {id(t): size(t) for t in keras.tree.flatten(graph.inputs)}
    entry = {"file": rel, "description": "Keras " + keras.__version__ + " layer output shapes, batch 1"}
    entry.update(lifetime_rule(steps, inputs, [id(t) for t in keras.tree.flatten(graph.outputs)]))
    entry["inputs_bytes"] = sum(inputs.values())
    entry["outputs_bytes"] = sum(size(t) for t in keras.tree.flatten(graph.outputs))
    entry["framework"] = {"name": "keras " + keras.__version__, "note": "KerasTensor shapes and dtypes of each call"}
    print(f"{rel:32s} peak {entry['peak_bytes']:>12,d} at {entry['peak_at']}", file=sys.stderr)
    return entry


def main():
    previous = json.loads(OUT.read_text()) if OUT.exists() else {"onnx": [], "keras": []}
    doc = {"generator": "testdata/generate/memory_expected.py", "onnx": previous["onnx"], "keras": previous["keras"]}
    if "--keras-only" not in sys.argv:
        make_fixtures()
        doc["onnx"] = [onnx_case(*c) for c in ONNX_CASES]
        layout_only(MEMORY / "gpt2_past.onnx")
        layout_only(MEMORY / "llama_gqa_past.onnx")
    if "--onnx-only" not in sys.argv:
        doc["keras"] = [keras_case(rel) for rel in KERAS_CASES]
    OUT.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
