"""Keras models whose Input leaves spatial / sequence sizes free (None), for symbolic shapes.

Writes testdata/symbolic/free_size_cnn.keras and free_length_text.keras, and
testdata/symbolic/free_size_expected.json: for each model, at three points, every layer's output shape
as Keras itself computes it on a real input of that size.
Run: /work/venv-fixtures/bin/python testdata/generate/keras_free_size_fixtures.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "symbolic")
keras.utils.set_random_seed(0)


def cnn():
    x = keras.Input(shape=(None, None, 3), name="image")
    y = layers.Conv2D(8, 3, strides=2, padding="same", name="stem")(x)
    y = layers.Conv2D(8, 3, padding="valid", name="valid")(y)
    y = layers.MaxPooling2D(2, name="pool")(y)
    y = layers.ZeroPadding2D(1, name="pad")(y)
    y = layers.UpSampling2D(2, name="up")(y)
    y = layers.Conv2DTranspose(4, 3, strides=2, padding="same", name="deconv")(y)
    y = layers.GlobalAveragePooling2D(name="gap")(y)
    y = layers.Dense(10, name="head")(y)
    return keras.Model(x, y, name="free_size_cnn"), [(1, 16, 16, 3), (1, 23, 17, 3), (1, 40, 31, 3)]


def text():
    x = keras.Input(shape=(None,), dtype="int32", name="tokens")
    y = layers.Embedding(50, 8, name="embed")(x)
    y = layers.Conv1D(8, 3, padding="same", name="conv")(y)
    y = layers.LSTM(6, return_sequences=True, name="lstm")(y)
    y = layers.Dense(4, name="proj")(y)
    return keras.Model(x, y, name="free_length_text"), [(1, 5), (1, 12), (1, 30)]


def main():
    expected = {}
    for build in (cnn, text):
        model, points = build()
        path = os.path.join(OUT, model.name + ".keras")
        model.save(path)
        rows = []
        named = [l for l in model.layers if not isinstance(l, keras.layers.InputLayer)]
        probe = keras.Model(model.inputs, [l.output for l in named])
        for p in points:
            data = np.zeros(p, dtype="int32" if len(p) == 2 else "float32")
            shapes = {l.name: list(o.shape) for l, o in zip(named, probe(data))}
            rows.append({"input": list(p), "layers": shapes})
        expected[model.name] = rows
    with open(os.path.join(OUT, "free_size_expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ": "))
        f.write("\n")


if __name__ == "__main__":
    main()
