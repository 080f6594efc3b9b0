"""A torch.onnx export with a dynamic batch and a dynamic image size (H, W), for symbolic shapes.

Writes testdata/symbolic/fpn_dyn.onnx (strided convs, nearest upsampling to a lateral feature's
size, ceil_mode max pooling, F.pad, a reshape to H*W tokens and self-attention over them) and
testdata/symbolic/fpn_dyn_expected.json: at four image sizes, the shape onnxruntime gives every
float node output.
Run: /work/venv-fixtures/bin/python testdata/generate/onnx_free_size_fixtures.py
"""
import json
import os
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.filterwarnings("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "symbolic")
POINTS = [(64, 64), (50, 37), (97, 120), (33, 9)]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, 2, 1)
        self.c2 = nn.Conv2d(8, 16, 3, 2, 1)
        self.c3 = nn.Conv2d(16, 16, 3, 2, 1)
        self.lat = nn.Conv2d(16, 16, 1)
        self.head = nn.Linear(16, 10)
        self.mp = nn.MaxPool2d(3, 2, 1, ceil_mode=True)

    def forward(self, x):
        a = F.relu(self.c1(x))
        b = F.relu(self.c2(a))
        c = F.relu(self.c3(b))
        up = F.interpolate(c, size=b.shape[2:], mode="nearest")
        p = self.mp(self.lat(b) + up)
        p = F.pad(p, (0, 1, 0, 1))
        n, ch, h, w = p.shape
        t = p.reshape(n, ch, h * w).transpose(1, 2)
        att = torch.softmax(t @ t.transpose(1, 2) / 4.0, -1) @ t
        return self.head(att.mean(1)), F.adaptive_avg_pool2d(p, 1).flatten(1)


def main():
    torch.manual_seed(0)
    path = os.path.join(OUT, "fpn_dyn.onnx")
    torch.onnx.export(Net().eval(), torch.randn(1, 3, 64, 64), path, input_names=["x"], output_names=["y", "z"],
                      dynamic_axes={"x": {0: "batch", 2: "H", 3: "W"}}, opset_version=17, dynamo=False)
    m = onnx.load(path)
    typed = onnx.shape_inference.infer_shapes(m)
    floats = {v.name for v in typed.graph.value_info if v.type.tensor_type.elem_type == onnx.TensorProto.FLOAT}
    outputs = {o.name for o in m.graph.output}
    names = {}
    for node in m.graph.node:
        out = node.output[0]
        if out in outputs:
            names[out] = node.name
        elif out in floats:
            names[out] = node.name
            m.graph.output.append(onnx.helper.make_tensor_value_info(out, onnx.TensorProto.FLOAT, None))
    sess = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
    wanted = [o.name for o in sess.get_outputs()]
    rows = []
    for h, w in POINTS:
        got = sess.run(None, {"x": np.zeros((1, 3, h, w), np.float32)})
        shapes = {names[n]: list(v.shape) for n, v in zip(wanted, got)
                  if n in names and v.dtype == np.float32}
        rows.append({"H": h, "W": w, "nodes": shapes})
    with open(os.path.join(OUT, "fpn_dyn_expected.json"), "w") as f:
        json.dump({"fpn_dyn": rows}, f, separators=(",", ": "))
        f.write("\n")


if __name__ == "__main__":
    main()
