#!/usr/bin/env python3
"""Writes testdata/compute/exporter_ops/*.onnx and testdata/expected-exporter-ops.json.

ONNX files as exporters other than torch.onnx write them (issue 16): ai.onnx.ml models (as skl2onnx
lays them out: skl2onnx is not installable here, so the nodes are written with onnx.helper from
fitted scikit-learn models, attribute by attribute as skl2onnx's converters do), sequence graphs,
an If on a scalar input (Silero-VAD-like: the branch is chosen by the sample rate `sr`), a Loop
whose trip count is an input, an opset-6 PRelu conv net (PyTorch 0.3 style: slope per channel, no
broadcasting), and old-opset forms of the ops whose schema moved between versions.

Expected figures:
  outputs       every graph output's shape (or sequence length) as onnxruntime returns it
  macs          an independent count from the dimensions this script builds (conv: K·K·Cin·Cout·Hout·Wout,
                matmul/gemm: M·K·N), checked against onnxruntime's intermediate shapes where they are
                visible (value_info-free graphs: every intermediate is exposed as an output)
  other_flops   for ai.onnx.ml fixtures, the docs/counting.md convention applied to the attributes
  stored_parameters  the learned values (initializers + ai.onnx.ml attribute arrays), counted here
  input_values  passed as --input-value (ExporterOpsFixtureTest)
  range         {macs: [min, max]} when an If stays undecided

Run:  /work/venv-fixtures/bin/python testdata/generate/exporter_ops_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC, SVR

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "testdata" / "compute" / "exporter_ops"
EXPECTED = REPO / "testdata" / "expected-exporter-ops.json"
ML = "ai.onnx.ml"
RNG = np.random.default_rng(16)


def model(graph, opset, ml=None):
    imports = [h.make_opsetid("", opset)]
    if ml:
        imports.append(h.make_opsetid(ML, ml))
    m = h.make_model(graph, opset_imports=imports, producer_name="modeltally-fixtures")
    m.ir_version = 8 if opset >= 13 else 3 if opset < 8 else 4
    if opset >= 9:
        onnx.checker.check_model(m)
    return m


def session(m):
    return ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])


def run(m, feeds):
    s = session(m)
    outs = s.run(None, feeds)
    return {o.name: v for o, v in zip(s.get_outputs(), outs)}


def described(name, v):
    if isinstance(v, list):
        return {"name": name, "shape": None, "length": len(v)}
    return {"name": name, "shape": list(np.shape(v))}


def init(name, arr):
    return numpy_helper.from_array(np.asarray(arr), name)


def exposing_all(m):
    """A copy whose every node output in the main graph is also a graph output (to read ORT's shapes)."""
    c = onnx.ModelProto()
    c.CopyFrom(m)
    have = {o.name for o in c.graph.output}
    for n in c.graph.node:
        for o in n.output:
            if o and o not in have:
                c.graph.output.append(h.make_empty_tensor_value_info(o))
                have.add(o)
    return c


def ort_macs(m, feeds):
    """MACs of the main graph's Conv/MatMul/Gemm from the shapes onnxruntime computes."""
    s = session(exposing_all(m))
    vals = {o.name: v for o, v in zip(s.get_outputs(), s.run(None, feeds))}
    shapes = {k: np.shape(v) for k, v in vals.items() if not isinstance(v, list)}
    for i in m.graph.initializer:
        shapes[i.name] = tuple(i.dims)
    for k, v in feeds.items():
        shapes[k] = np.shape(v)
    macs = 0
    for n in m.graph.node:
        if n.op_type == "Conv":
            w = shapes[n.input[1]]
            y = shapes[n.output[0]]
            macs += int(np.prod(y)) * int(np.prod(w[1:]))
        elif n.op_type == "MatMul":
            a, y = shapes[n.input[0]], shapes[n.output[0]]
            macs += int(np.prod(y)) * a[-1]
        elif n.op_type == "Gemm":
            a, y = shapes[n.input[0]], shapes[n.output[0]]
            trans_a = any(at.name == "transA" and at.i for at in n.attribute)
            macs += int(np.prod(y)) * (a[0] if trans_a else a[-1])
    return macs


# ---- ai.onnx.ml ---------------------------------------------------------------------------------

def logistic_regression():
    """Normalizer(L2) → LinearClassifier → Normalizer(L1) → ZipMap, as skl2onnx writes a
    Pipeline(Normalizer, LogisticRegression) with its default zipmap option."""
    x, y = make_classification(n_samples=120, n_features=6, n_informative=4, n_classes=3, random_state=0)
    x = x.astype(np.float32)
    from sklearn.preprocessing import Normalizer
    xn = Normalizer().fit_transform(x)
    lr = LogisticRegression(max_iter=500).fit(xn, y)
    coef = lr.coef_.astype(np.float32)
    inter = lr.intercept_.astype(np.float32)
    nodes = [
        h.make_node("Normalizer", ["float_input"], ["variable"], domain=ML, norm="L2", name="Normalizer"),
        h.make_node("LinearClassifier", ["variable"], ["label", "probability_tensor"], domain=ML,
                    name="LinearClassifier", classlabels_ints=[0, 1, 2], coefficients=coef.ravel().tolist(),
                    intercepts=inter.tolist(), multi_class=1, post_transform="SOFTMAX"),
        h.make_node("Normalizer", ["probability_tensor"], ["probabilities"], domain=ML, norm="L1",
                    name="Normalizer1"),
        h.make_node("ZipMap", ["probabilities"], ["output_probability"], domain=ML, classlabels_int64s=[0, 1, 2],
                    name="ZipMap"),
    ]
    seq_map = h.make_sequence_type_proto(h.make_map_type_proto(T.INT64, h.make_tensor_type_proto(T.FLOAT, [])))
    g = h.make_graph(nodes, "pipeline_logistic_regression",
                     [h.make_tensor_value_info("float_input", T.FLOAT, [None, 6])],
                     [h.make_tensor_value_info("label", T.INT64, [None]),
                      h.make_value_info("output_probability", seq_map)])
    m = model(g, 15, 1)
    n = 5
    out = run(m, {"float_input": x[:n]})
    assert (out["label"] == lr.predict(xn[:n])).all()
    params = coef.size + inter.size
    c, e = 6, 3
    other = n * 6 * 3 + n * (2 * coef.size) + 3 * n * e + n * e * 3  # Normalizer L2, linear, softmax, Normalizer L1
    return m, {
        "description": "sklearn Pipeline(Normalizer, LogisticRegression) as skl2onnx writes it: Normalizer → "
                       "LinearClassifier → Normalizer → ZipMap; output seq(map(int64, float))",
        "input_shapes": {"float_input": [n, c]},
        "outputs": [described("label", out["label"]), described("output_probability", out["output_probability"])],
        "output_types": {"output_probability": "seq(map(int64, float))"},
        "macs": 0, "flops": 0, "other_flops": other, "stored_parameters": int(params),
        "parameters_by_attribute": int(params),
        "framework": {"name": "onnxruntime " + ort.__version__ + ", scikit-learn",
                      "note": "labels equal sklearn's predict; parameters = coef_ + intercept_ elements"},
    }


def tree_attrs(trees, classifier, n_classes=0):
    a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes", "nodes_values",
                         "nodes_truenodeids", "nodes_falsenodeids", "nodes_hitrates",
                         "nodes_missing_value_tracks_true"]}
    leaf = {k: [] for k in (["class_treeids", "class_nodeids", "class_ids", "class_weights"] if classifier
                            else ["target_treeids", "target_nodeids", "target_ids", "target_weights"])}
    prefix = "class" if classifier else "target"
    depth_sum = 0
    for t, est in enumerate(trees):
        tr = est.tree_
        depth_sum += tr.max_depth
        for i in range(tr.node_count):
            is_leaf = tr.children_left[i] == -1
            a["nodes_treeids"].append(t)
            a["nodes_nodeids"].append(i)
            a["nodes_featureids"].append(int(tr.feature[i]) if not is_leaf else 0)
            a["nodes_modes"].append("LEAF" if is_leaf else "BRANCH_LEQ")
            a["nodes_values"].append(float(tr.threshold[i]) if not is_leaf else 0.0)
            a["nodes_truenodeids"].append(int(tr.children_left[i]) if not is_leaf else 0)
            a["nodes_falsenodeids"].append(int(tr.children_right[i]) if not is_leaf else 0)
            a["nodes_hitrates"].append(1.0)
            a["nodes_missing_value_tracks_true"].append(0)
            if is_leaf:
                if classifier:
                    v = tr.value[i][0] / tr.value[i][0].sum()
                    for k in range(n_classes):
                        leaf["class_treeids"].append(t)
                        leaf["class_nodeids"].append(i)
                        leaf["class_ids"].append(k)
                        leaf["class_weights"].append(float(v[k]) / len(trees))
                else:
                    leaf["target_treeids"].append(t)
                    leaf["target_nodeids"].append(i)
                    leaf["target_ids"].append(0)
                    leaf["target_weights"].append(float(tr.value[i][0][0]) / len(trees))
    a.update(leaf)
    return a, depth_sum, len(a["nodes_values"]) + len(leaf[prefix + "_weights"])


def tree_ensembles():
    """RandomForestClassifier and RandomForestRegressor on one input, laid out as skl2onnx's tree
    converters write them (TreeEnsembleClassifier with ZipMap, TreeEnsembleRegressor)."""
    x, y = make_classification(n_samples=200, n_features=5, n_informative=3, n_classes=2, random_state=1)
    x = x.astype(np.float32)
    clf = RandomForestClassifier(n_estimators=3, max_depth=4, random_state=0).fit(x, y)
    reg = RandomForestRegressor(n_estimators=2, max_depth=3, random_state=0).fit(x, y.astype(np.float32))
    ca, cdepth, cparams = tree_attrs(clf.estimators_, True, 2)
    ra, rdepth, rparams = tree_attrs(reg.estimators_, False)
    nodes = [
        h.make_node("TreeEnsembleClassifier", ["input"], ["label", "probabilities"], domain=ML,
                    name="TreeEnsembleClassifier", classlabels_int64s=[0, 1], post_transform="NONE", **ca),
        h.make_node("ZipMap", ["probabilities"], ["output_probability"], domain=ML, classlabels_int64s=[0, 1],
                    name="ZipMap"),
        h.make_node("TreeEnsembleRegressor", ["input"], ["variable"], domain=ML, name="TreeEnsembleRegressor",
                    n_targets=1, aggregate_function="SUM", post_transform="NONE", **ra),
    ]
    seq_map = h.make_sequence_type_proto(h.make_map_type_proto(T.INT64, h.make_tensor_type_proto(T.FLOAT, [])))
    g = h.make_graph(nodes, "forests", [h.make_tensor_value_info("input", T.FLOAT, [None, 5])],
                     [h.make_tensor_value_info("label", T.INT64, [None]),
                      h.make_value_info("output_probability", seq_map),
                      h.make_tensor_value_info("variable", T.FLOAT, [None, 1])])
    m = model(g, 15, 3)
    n = 7
    out = run(m, {"input": x[:n]})
    probs = np.array([[d[0], d[1]] for d in out["output_probability"]])
    assert np.allclose(probs, clf.predict_proba(x[:n]), atol=1e-5)
    assert np.allclose(out["variable"].ravel(), reg.predict(x[:n]), atol=1e-4)
    return m, {
        "description": "RandomForestClassifier (3 trees, depth 4) + ZipMap and RandomForestRegressor (2 trees, "
                       "depth 3) as skl2onnx writes them",
        "input_shapes": {"input": [n, 5]},
        "outputs": [described(k, out[k]) for k in ["label", "output_probability", "variable"]],
        "output_types": {"output_probability": "seq(map(int64, float))"},
        "macs": 0, "flops": 0, "other_flops": n * cdepth + n * rdepth,
        "stored_parameters": cparams + rparams, "parameters_by_attribute": cparams + rparams,
        "framework": {"name": "onnxruntime " + ort.__version__ + ", scikit-learn",
                      "note": "probabilities/predictions equal sklearn's; other FLOPs = N x sum of tree depths; "
                              "parameters = nodes_values + leaf weights"},
    }


def svms():
    """SVC (RBF, 3 classes, probabilities off) and SVR as skl2onnx's SVM converter writes them."""
    x, y = make_classification(n_samples=60, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
                               random_state=2)
    x = x.astype(np.float32)
    svc = SVC(kernel="rbf", gamma=0.5).fit(x, y)
    svr = SVR(kernel="rbf", gamma=0.5).fit(x, x[:, 0])
    sv = svc.support_vectors_.astype(np.float32)
    coef = svc.dual_coef_.astype(np.float32)
    rho = (-svc.intercept_).astype(np.float32)
    rsv = svr.support_vectors_.astype(np.float32)
    rcoef = svr.dual_coef_.astype(np.float32)
    rrho = svr.intercept_.astype(np.float32)
    nodes = [
        h.make_node("SVMClassifier", ["input"], ["label", "scores"], domain=ML, name="SVMClassifier",
                    classlabels_ints=[0, 1, 2], coefficients=coef.ravel().tolist(), kernel_params=[0.5, 0.0, 3.0],
                    kernel_type="RBF", post_transform="NONE", rho=rho.tolist(), support_vectors=sv.ravel().tolist(),
                    vectors_per_class=svc.n_support_.tolist()),
        h.make_node("SVMRegressor", ["input"], ["variable"], domain=ML, name="SVMRegressor",
                    coefficients=rcoef.ravel().tolist(), kernel_params=[0.5, 0.0, 3.0], kernel_type="RBF",
                    n_supports=len(rsv), post_transform="NONE", rho=rrho.tolist(),
                    support_vectors=rsv.ravel().tolist()),
    ]
    g = h.make_graph(nodes, "svms", [h.make_tensor_value_info("input", T.FLOAT, [None, 4])],
                     [h.make_tensor_value_info("label", T.INT64, [None]),
                      h.make_tensor_value_info("scores", T.FLOAT, [None, None]),
                      h.make_tensor_value_info("variable", T.FLOAT, [None, 1])])
    m = model(g, 15, 1)
    n = 4
    out = run(m, {"input": x[:n]})
    assert np.allclose(out["variable"].ravel(), svr.predict(x[:n]), atol=1e-3)
    c = 4
    other = n * (len(sv) * (2 * c + 1) + 2 * coef.size) + n * (len(rsv) * (2 * c + 1) + 2 * rcoef.size)
    params = sv.size + coef.size + rho.size + rsv.size + rcoef.size + rrho.size
    return m, {
        "description": "SVC (RBF, 3 classes) and SVR (RBF) as skl2onnx writes them",
        "input_shapes": {"input": [n, 4]},
        "outputs": [described(k, out[k]) for k in ["label", "scores", "variable"]],
        "macs": 0, "flops": 0, "other_flops": int(other), "stored_parameters": int(params),
        "parameters_by_attribute": int(params),
        "framework": {"name": "onnxruntime " + ort.__version__ + ", scikit-learn",
                      "note": "SVR predictions equal sklearn's; scores [N, 3] = one per pair of classes"},
    }


def ml_transforms():
    """Imputer → Scaler → ArrayFeatureExtractor → Binarizer, LinearRegressor, FeatureVectorizer,
    OneHotEncoder and LabelEncoder: the skl2onnx preprocessing ops."""
    c = 5
    nodes = [
        h.make_node("Imputer", ["X"], ["imputed"], domain=ML, imputed_value_floats=[0.5] * c,
                    replaced_value_float=float("nan"), name="Imputer"),
        h.make_node("Scaler", ["imputed"], ["scaled"], domain=ML, offset=[0.1] * c, scale=[2.0] * c, name="Scaler"),
        h.make_node("ArrayFeatureExtractor", ["scaled", "columns"], ["picked"], domain=ML, name="ArrayFeatureExtractor"),
        h.make_node("Binarizer", ["picked"], ["binary"], domain=ML, threshold=0.5, name="Binarizer"),
        h.make_node("LinearRegressor", ["scaled"], ["regressed"], domain=ML, coefficients=[0.25] * (2 * c),
                    intercepts=[0.0, 1.0], targets=2, name="LinearRegressor"),
        h.make_node("FeatureVectorizer", ["binary", "regressed"], ["features"], domain=ML, inputdimensions=[3, 2],
                    name="FeatureVectorizer"),
        h.make_node("OneHotEncoder", ["category"], ["onehot"], domain=ML, cats_int64s=[1, 2, 3, 4], zeros=1,
                    name="OneHotEncoder"),
        h.make_node("LabelEncoder", ["category"], ["named"], domain=ML, keys_int64s=[1, 2, 3, 4],
                    values_strings=["a", "b", "c", "d"], default_string="?", name="LabelEncoder"),
    ]
    g = h.make_graph(nodes, "transforms",
                     [h.make_tensor_value_info("X", T.FLOAT, [None, c]),
                      h.make_tensor_value_info("category", T.INT64, [None, 1])],
                     [h.make_tensor_value_info("features", T.FLOAT, [None, 5]),
                      h.make_tensor_value_info("onehot", T.FLOAT, [None, 1, 4]),
                      h.make_tensor_value_info("named", T.STRING, [None, 1])],
                     [init("columns", np.array([0, 2, 4], dtype=np.int64))])
    m = model(g, 15, 2)
    n = 3
    out = run(m, {"X": RNG.random((n, c), dtype=np.float32), "category": np.array([[1], [3], [4]], dtype=np.int64)})
    other = n * c + 2 * n * c + n * 3 + n * 2 * (2 * c)
    return m, {
        "description": "Imputer, Scaler, ArrayFeatureExtractor, Binarizer, LinearRegressor, FeatureVectorizer, "
                       "OneHotEncoder, LabelEncoder",
        "input_shapes": {"X": [n, c], "category": [n, 1]},
        "outputs": [described(k, out[k]) for k in ["features", "onehot", "named"]],
        "macs": 0, "flops": 0, "other_flops": other, "stored_parameters": c + 2 * c + 2 * c + 2,
        "parameters_by_attribute": c + 2 * c + 2 * c + 2,
        "framework": {"name": "onnxruntime " + ort.__version__,
                      "note": "parameters: imputed values, scaler offset and scale, regressor coefficients and "
                              "intercepts"},
    }


# ---- sequences ----------------------------------------------------------------------------------

def sequences():
    """SplitToSequence, SequenceInsert/At/Erase/Length, SequenceEmpty, ConcatFromSequence and a
    SequenceMap whose body is a MatMul, as a tf2onnx or spox export of list code writes them."""
    w = RNG.random((6, 4), dtype=np.float32)
    body = h.make_graph([h.make_node("MatMul", ["chunk", "W"], ["projected"], name="body_matmul")], "map_body",
                        [h.make_tensor_value_info("chunk", T.FLOAT, [None, 6])],
                        [h.make_tensor_value_info("projected", T.FLOAT, [None, 4])])
    nodes = [
        h.make_node("SplitToSequence", ["x", "split"], ["pieces"], axis=0, name="split"),
        h.make_node("SequenceLength", ["pieces"], ["count"], name="length"),
        h.make_node("SequenceAt", ["pieces", "one"], ["second"], name="at"),
        h.make_node("SequenceInsert", ["pieces", "second"], ["more"], name="insert"),
        h.make_node("SequenceErase", ["more", "zero"], ["fewer"], name="erase"),
        h.make_node("ConcatFromSequence", ["fewer"], ["joined"], axis=0, name="concat"),
        h.make_node("SequenceMap", ["pieces"], ["projections"], body=body, name="map"),
        h.make_node("ConcatFromSequence", ["projections"], ["stacked"], axis=0, name="concat_projections"),
        h.make_node("SequenceEmpty", [], ["empty"], dtype=T.FLOAT, name="empty"),
        h.make_node("SequenceInsert", ["empty", "x"], ["single"], name="insert_first"),
        h.make_node("ConcatFromSequence", ["single"], ["stacked_new_axis"], axis=0, new_axis=1, name="stack"),
        h.make_node("MatMul", ["joined", "W"], ["y"], name="head"),
    ]
    g = h.make_graph(nodes, "sequences", [h.make_tensor_value_info("x", T.FLOAT, [10, 6])],
                     [h.make_tensor_value_info("y", T.FLOAT, [None, 4]),
                      h.make_tensor_value_info("count", T.INT64, []),
                      h.make_tensor_value_info("stacked", T.FLOAT, [None, 4]),
                      h.make_tensor_value_info("stacked_new_axis", T.FLOAT, [1, 10, 6])],
                     [init("split", np.array([2, 3, 5], dtype=np.int64)), init("one", np.array(1, dtype=np.int64)),
                      init("zero", np.array(0, dtype=np.int64)), init("W", w)])
    m = model(g, 17)
    out = run(m, {"x": RNG.random((10, 6), dtype=np.float32)})
    # joined = pieces[1:] + [pieces[1]]: 3 + 5 + 3 = 11 rows; map: 10 rows through the 6x4 body
    macs = 11 * 6 * 4 + 10 * 6 * 4
    assert out["y"].shape == (11, 4) and out["stacked"].shape == (10, 4)
    return m, {
        "description": "sequence ops: SplitToSequence [2, 3, 5], Length, At, Insert, Erase, ConcatFromSequence "
                       "(concat and new_axis), SequenceEmpty, SequenceMap over a MatMul body",
        "outputs": [described(k, out[k]) for k in ["y", "count", "stacked", "stacked_new_axis"]],
        "macs": macs, "flops": 2 * macs, "stored_parameters": 24,
        "framework": {"name": "onnxruntime " + ort.__version__,
                      "note": "MACs = 11*6*4 (head) + 10*6*4 (SequenceMap body over 2+3+5 rows)"},
    }


# ---- branches and loops decided by input values -------------------------------------------------

def branch_on_sample_rate():
    """Silero-VAD-like: If(Equal(sr, 16000)) — the 16 kHz branch runs a 128→16 projection, the 8 kHz
    branch a 64→16 one on half the samples (a Slice)."""
    w16 = RNG.random((128, 16), dtype=np.float32)
    w8 = RNG.random((64, 16), dtype=np.float32)
    then_g = h.make_graph([h.make_node("MatMul", ["x", "w16"], ["y16"], name="proj16")], "then_16k", [],
                          [h.make_tensor_value_info("y16", T.FLOAT, [1, 16])])
    else_g = h.make_graph([
        h.make_node("Slice", ["x", "s0", "s1", "s2"], ["half"], name="half"),
        h.make_node("MatMul", ["half", "w8"], ["y8"], name="proj8")], "else_8k", [],
        [h.make_tensor_value_info("y8", T.FLOAT, [1, 16])])
    nodes = [
        h.make_node("Equal", ["sr", "k16000"], ["is16k"], name="is16k"),
        h.make_node("If", ["is16k"], ["h"], then_branch=then_g, else_branch=else_g, name="sr_branch"),
        h.make_node("Relu", ["h"], ["out"], name="relu"),
    ]
    g = h.make_graph(nodes, "vad_like", [h.make_tensor_value_info("x", T.FLOAT, [1, 128]),
                                         h.make_tensor_value_info("sr", T.INT64, [])],
                     [h.make_tensor_value_info("out", T.FLOAT, [1, 16])],
                     [init("k16000", np.array(16000, dtype=np.int64)), init("w16", w16), init("w8", w8),
                      init("s0", np.array([0], dtype=np.int64)), init("s1", np.array([64], dtype=np.int64)),
                      init("s2", np.array([1], dtype=np.int64))])
    m = model(g, 17)
    x = RNG.random((1, 128), dtype=np.float32)
    entries = {}
    hi, lo = 128 * 16, 64 * 16
    for sr, macs in [(16000, hi), (8000, lo)]:
        out = run(m, {"x": x, "sr": np.array(sr, dtype=np.int64)})
        entries[f"sr={sr}"] = {"input_values": {"sr": [sr]}, "macs": macs, "flops": 2 * macs,
                               "outputs": [described("out", out["out"])]}
    params = 128 * 16 + 64 * 16
    return m, entries, {"range": {"macs": [lo, hi]}, "notes_contain": ["If 'sr_branch'", "input 'sr'"],
                        "stored_parameters": params}


def loop_trip_count():
    """A Loop whose trip count is the input M: each iteration multiplies the carried [1, 8] state by
    an 8x8 matrix."""
    w = RNG.random((8, 8), dtype=np.float32) / 8
    body = h.make_graph([
        h.make_node("Identity", ["cond_in"], ["cond_out"], name="keep_going"),
        h.make_node("MatMul", ["state", "W"], ["state_out"], name="step")], "loop_body",
        [h.make_tensor_value_info("i", T.INT64, []), h.make_tensor_value_info("cond_in", T.BOOL, []),
         h.make_tensor_value_info("state", T.FLOAT, [1, 8])],
        [h.make_tensor_value_info("cond_out", T.BOOL, []), h.make_tensor_value_info("state_out", T.FLOAT, [1, 8])])
    nodes = [h.make_node("Loop", ["M", "true", "x"], ["final"], body=body, name="steps")]
    g = h.make_graph(nodes, "loop_m", [h.make_tensor_value_info("M", T.INT64, []),
                                       h.make_tensor_value_info("x", T.FLOAT, [1, 8])],
                     [h.make_tensor_value_info("final", T.FLOAT, [1, 8])],
                     [init("W", w), init("true", np.array(True))])
    m = model(g, 17)
    out = run(m, {"M": np.array(5, dtype=np.int64), "x": RNG.random((1, 8), dtype=np.float32)})
    return m, {
        "description": "Loop with trip count M (an input), body MatMul [1,8]x[8,8]; --input-value M=5",
        "input_values": {"M": [5]},
        "outputs": [described("final", out["final"])],
        "macs": 5 * 64, "flops": 10 * 64, "stored_parameters": 64, "complete": True,
        "undecided_notes_contain": ["Loop 'steps'", "input 'M'"],
        "framework": {"name": "onnxruntime " + ort.__version__, "note": "MACs = M * 8 * 8"},
    }


# ---- versioned ops ------------------------------------------------------------------------------

def prelu_opset6():
    """A PyTorch-0.3-style conv net at opset 6: Conv → PRelu (slope [C], per channel: PRelu-6 has no
    numpy broadcasting) → Conv → PRelu → Gemm."""
    w1 = RNG.random((8, 3, 3, 3), dtype=np.float32)
    w2 = RNG.random((16, 8, 3, 3), dtype=np.float32)
    fc = RNG.random((10, 16 * 6 * 6), dtype=np.float32)
    nodes = [
        h.make_node("Conv", ["input", "w1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], name="conv1"),
        h.make_node("PRelu", ["c1", "slope1"], ["p1"], name="prelu1"),
        h.make_node("MaxPool", ["p1"], ["m1"], kernel_shape=[2, 2], strides=[2, 2], name="pool1"),
        h.make_node("Conv", ["m1", "w2"], ["c2"], kernel_shape=[3, 3], pads=[0, 0, 0, 0], name="conv2"),
        h.make_node("PRelu", ["c2", "slope2"], ["p2"], name="prelu2"),
        h.make_node("Flatten", ["p2"], ["f"], axis=1, name="flatten"),
        h.make_node("Gemm", ["f", "fc", "fcb"], ["logits"], transB=1, name="fc"),
    ]
    inits = [init("w1", w1), init("slope1", np.full(8, 0.25, np.float32)), init("w2", w2),
             init("slope2", np.full(16, 0.25, np.float32)), init("fc", fc), init("fcb", np.zeros(10, np.float32))]
    g = h.make_graph(nodes, "prelu6", [h.make_tensor_value_info("input", T.FLOAT, [1, 3, 16, 16])],
                     [h.make_tensor_value_info("logits", T.FLOAT, [1, 10])], inits)
    m6 = model(g, 6)
    # onnxruntime runs opset 7 and later: check shapes on the same net with opset-7 slopes [C, 1, 1]
    g7 = onnx.GraphProto()
    g7.CopyFrom(g)
    for t in g7.initializer:
        if t.name.startswith("slope"):
            t.CopyFrom(init(t.name, np.full((t.dims[0], 1, 1), 0.25, np.float32)))
    m7 = model(g7, 7)
    feeds = {"input": RNG.random((1, 3, 16, 16), dtype=np.float32)}
    out = run(m7, feeds)
    macs = 16 * 16 * 8 * 27 + 6 * 6 * 16 * 72 + 576 * 10
    assert ort_macs(m7, feeds) == macs
    params = w1.size + 8 + w2.size + 16 + fc.size + 10
    return m6, {
        "description": "PyTorch-0.3-style conv net at opset 6: PRelu with per-channel slope [C] (no broadcasting)",
        "outputs": [described("logits", out["logits"])],
        "macs": macs, "flops": 2 * macs, "complete": True, "stored_parameters": int(params),
        "framework": {"name": "onnxruntime " + ort.__version__,
                      "note": "onnxruntime runs opset >= 7: shapes and MACs from the same net at opset 7 "
                              "(slopes [C,1,1])"},
    }


def old_opsets():
    """Opset-7 forms of the ops whose schema moved: BatchNormalization (spatial), Clip (min/max
    attributes), Pad (pads attribute), Slice-1 (attributes), Split-2 (split attribute), Squeeze-1 /
    Unsqueeze-1 / ReduceSum-1 (axes attributes), Upsample-7 (scales attribute), Dropout-7 (ratio
    attribute, mask of X's type), TopK-1 (k attribute)."""
    w = RNG.random((4, 3, 3, 3), dtype=np.float32)
    fc = RNG.random((5, 4 * 8 * 2), dtype=np.float32)
    nodes = [
        h.make_node("Conv", ["input", "w"], ["c"], kernel_shape=[3, 3], name="conv"),
        h.make_node("BatchNormalization", ["c", "s", "b", "mean", "var"], ["bn"], spatial=1, epsilon=1e-5, name="bn"),
        h.make_node("Clip", ["bn"], ["clip"], min=0.0, max=6.0, name="clip"),
        h.make_node("Pad", ["clip"], ["pad"], pads=[0, 0, 1, 1, 0, 0, 1, 1], mode="constant", name="pad"),
        h.make_node("Slice", ["pad"], ["slice"], axes=[2, 3], starts=[1, 1], ends=[9, 9], name="slice"),
        h.make_node("Split", ["slice"], ["left", "right"], axis=3, split=[4, 4], name="split"),
        h.make_node("ReduceSum", ["left"], ["rsum"], axes=[3], keepdims=1, name="reduce"),
        h.make_node("Squeeze", ["rsum"], ["sq"], axes=[3], name="squeeze"),
        h.make_node("Unsqueeze", ["sq"], ["usq"], axes=[3], name="unsqueeze"),
        h.make_node("Upsample", ["usq"], ["up"], scales=[1.0, 1.0, 1.0, 2.0], mode="nearest", name="upsample"),
        h.make_node("Dropout", ["up"], ["drop", "mask"], ratio=0.1, name="dropout"),
        h.make_node("Flatten", ["drop"], ["flat"], axis=1, name="flatten"),
        h.make_node("Gemm", ["flat", "fc", "fcb"], ["logits"], transB=1, name="fc"),
        h.make_node("TopK", ["logits"], ["top", "top_index"], k=3, axis=1, name="topk"),
    ]
    inits = [init("w", w), init("s", np.ones(4, np.float32)), init("b", np.zeros(4, np.float32)),
             init("mean", np.zeros(4, np.float32)), init("var", np.ones(4, np.float32)), init("fc", fc),
             init("fcb", np.zeros(5, np.float32))]
    g = h.make_graph(nodes, "old_opsets", [h.make_tensor_value_info("input", T.FLOAT, [1, 3, 10, 10])],
                     [h.make_tensor_value_info("top", T.FLOAT, [1, 3]), h.make_tensor_value_info("top_index", T.INT64, [1, 3]),
                      h.make_tensor_value_info("mask", T.FLOAT, [1, 4, 8, 2]), h.make_tensor_value_info("right", T.FLOAT, [1, 4, 8, 4])],
                     inits)
    m = model(g, 7)
    feeds = {"input": RNG.random((1, 3, 10, 10), dtype=np.float32)}
    out = run(m, feeds)
    # conv 8x8x4x27; upsample [1,4,8,1] → [1,4,8,2]; gemm 64 → 5
    macs = 8 * 8 * 4 * 27 + 64 * 5
    assert ort_macs(m, feeds) == macs, ort_macs(m, feeds)
    return m, {
        "description": "opset-7 forms: BatchNormalization spatial, Clip/Pad/Slice/Split/Squeeze/Unsqueeze/ReduceSum/"
                       "Upsample/Dropout/TopK with attributes where newer opsets take inputs",
        "outputs": [described(k, out[k]) for k in ["top", "top_index", "mask", "right"]],
        "output_dtypes": {"mask": "FLOAT"},
        "macs": macs, "flops": 2 * macs, "complete": True,
        "stored_parameters": int(w.size + 16 + fc.size + 5),
        "framework": {"name": "onnxruntime " + ort.__version__, "note": "MACs from onnxruntime's shapes"},
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    fixtures = {}

    def save(name, m, entry):
        onnx.save(m, str(OUT / (name + ".onnx")))
        fixtures["compute/exporter_ops/" + name + ".onnx"] = entry

    for name, fn in [("ml_logistic_regression", logistic_regression), ("ml_tree_ensembles", tree_ensembles),
                     ("ml_svm", svms), ("ml_transforms", ml_transforms), ("sequences", sequences),
                     ("loop_trip_count", loop_trip_count), ("prelu_opset6", prelu_opset6),
                     ("old_opsets", old_opsets)]:
        m, entry = fn()
        entry.setdefault("complete", True)
        entry.setdefault("tolerance", 0.0)
        save(name, m, entry)
    m, per_value, undecided = branch_on_sample_rate()
    onnx.save(m, str(OUT / "branch_on_sr.onnx"))
    fixtures["compute/exporter_ops/branch_on_sr.onnx"] = {
        "description": "Silero-VAD-like If on Equal(sr, 16000): 16 kHz branch 128x16 MatMul, 8 kHz branch 64x16 on half the samples",
        "cases": per_value, "undecided": undecided, "complete": True, "tolerance": 0.0,
        "stored_parameters": undecided["stored_parameters"],
        "framework": {"name": "onnxruntime " + ort.__version__, "note": "MACs = 128*16 (16 kHz) or 64*16 (8 kHz)"},
    }
    EXPECTED.write_text(json.dumps({"fixtures": fixtures}, indent=2) + "\n")
    total = sum(p.stat().st_size for p in OUT.glob("*.onnx"))
    print(f"testdata/compute/exporter_ops: {len(fixtures)} fixtures, {total:,} bytes")


if __name__ == "__main__":
    main()
