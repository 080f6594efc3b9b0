"""Rebuilds Keras fixtures' architectures in torch and exports them to ONNX, so that
`modeltally diff keras/X.keras onnx/diff/X_torch.onnx` compares the same model across frameworks.

Run with the fixtures venv: /work/venv-fixtures/bin/python testdata/generate/diff_fixtures.py
"""
import json
import pathlib

import onnx
import torch
from torch import nn

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "onnx" / "diff"


class ConvPoolDense(nn.Module):
    """keras/conv_pool_dense: Conv2D(16, 2x2) on 224x224x3 -> MaxPool(2) -> GlobalAvgPool -> Dense(133)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 16, 2)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(16, 133)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        x = x.mean(dim=(2, 3))
        return self.fc(x)


class MnistMlp(nn.Module):
    """keras/mnist_mlp: 784 -> 512 -> 512 -> 10 with ReLU and Dropout."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10))

    def forward(self, x):
        return self.net(x)


def export(model, example, name, layout_only):
    torch.manual_seed(0)
    model.eval()
    path = OUT / f"{name}.onnx"
    torch.onnx.export(model, example, str(path), input_names=["input"], output_names=["output"],
                      opset_version=17, dynamo=False)
    onnx.checker.check_model(str(path))
    m = onnx.load(str(path))
    if layout_only:
        data = f"{name}.onnx.data"
        onnx.save_model(m, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                        location=data, size_threshold=0)
        (OUT / data).unlink()
    return sum(p.numel() for p in model.parameters())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    counts = {
        "conv_pool_dense_torch": export(ConvPoolDense(), torch.randn(1, 3, 224, 224), "conv_pool_dense_torch", False),
        "mnist_mlp_torch": export(MnistMlp(), torch.randn(1, 784), "mnist_mlp_torch", True),
    }
    assert counts == {"conv_pool_dense_torch": 2469, "mnist_mlp_torch": 669706}, counts
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
