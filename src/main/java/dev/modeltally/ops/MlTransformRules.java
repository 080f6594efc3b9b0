package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.ValueType;
import dev.modeltally.ir.Weight;
import java.util.ArrayList;
import java.util.List;

/**
 * ai.onnx.ml feature transforms, following the ai.onnx.ml schemas and onnxruntime's shapes. Other
 * FLOPs per element: Scaler 2 (subtract, multiply), Normalizer {@value #NORMALIZER} (magnitude, sum,
 * divide), Imputer and Binarizer 1 (a comparison); lookups and data movement (LabelEncoder,
 * CategoryMapper, OneHotEncoder, ArrayFeatureExtractor, ZipMap, CastMap, DictVectorizer,
 * FeatureVectorizer) 0.
 */
final class MlTransformRules {

    static final int NORMALIZER = 3;

    private MlTransformRules() {
    }

    /** Same shape as X, FLOAT (Scaler, Normalizer) or X's type (Imputer, Binarizer). */
    static OpRule elementwise(int perElement, boolean toFloat) {
        return c -> {
            Tensor x = c.input(0);
            DType t = toFloat ? DType.FLOAT : x.dtype();
            return OpResult.builder().output(Tensor.of(t, x.shape())).macs(0)
                    .other(x.elements().times(perElement)).build();
        };
    }

    /** LabelEncoder: the type of the values attribute (strings, int64s, floats or a tensor). */
    static OpResult labelEncoder(OpContext c) {
        Tensor x = c.input(0);
        DType t = DType.UNDEFINED;
        if (c.attrs().has("values_strings")) {
            t = DType.STRING;
        } else if (c.attrs().has("values_int64s")) {
            t = DType.INT64;
        } else if (c.attrs().has("values_floats")) {
            t = DType.FLOAT;
        } else if (c.attrs().values().get("values_tensor") instanceof Weight w) {
            t = w.dtype();
        }
        return OpResult.free(Tensor.of(t, x.shape()));
    }

    /** CategoryMapper: strings to INT64 and back. */
    static OpResult categoryMapper(OpContext c) {
        Tensor x = c.input(0);
        DType t = x.dtype() == DType.STRING ? DType.INT64 : x.dtype() == DType.UNDEFINED ? DType.UNDEFINED
                : DType.STRING;
        return OpResult.free(Tensor.of(t, x.shape()));
    }

    /** OneHotEncoder: X's shape plus one axis of the categories, FLOAT. */
    static OpResult oneHotEncoder(OpContext c) {
        Tensor x = c.input(0);
        long cats = Math.max(c.attrs().length("cats_int64s"), c.attrs().length("cats_strings"));
        if (!x.rankKnown()) {
            return OpResult.free(Tensor.of(DType.FLOAT, Shape.unknownRank()));
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        dims.add(cats > 0 ? Dim.of(cats) : Dim.UNKNOWN);
        return OpResult.free(Tensor.of(DType.FLOAT, new Shape(dims)));
    }

    /** ArrayFeatureExtractor: the last axis replaced by the indices; a vector X gives [1, k]. */
    static OpResult arrayFeatureExtractor(OpContext c) {
        Tensor x = c.input(0);
        Tensor idx = c.input(1);
        Dim k = idx.rankKnown() ? idx.elements().asDim() : Dim.UNKNOWN;
        if (!x.rankKnown()) {
            return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()));
        }
        if (x.rank() <= 1) {
            return OpResult.free(Tensor.of(x.dtype(), new Shape(List.of(Dim.of(1), k))));
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        dims.set(dims.size() - 1, k);
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }

    /** ZipMap: [N, C] scores to a sequence of N maps from the class labels to FLOAT. */
    static OpResult zipMap(OpContext c) {
        Tensor x = c.input(0);
        DType key = c.attrs().has("classlabels_strings") ? DType.STRING : DType.INT64;
        ValueType map = new ValueType.MapType(key, new ValueType.TensorType(DType.FLOAT, Shape.scalar()));
        Dim n = x.rank() == 2 ? x.dim(0) : x.rank() == 1 ? Dim.of(1) : Dim.UNKNOWN;
        return OpResult.free(Tensor.sequence(map, n, null));
    }

    /** CastMap: a map to [1, M]; M is max_map for the SPARSE form, the map's size (unknown) for DENSE. */
    static OpResult castMap(OpContext c) {
        String to = c.attrs().getString("cast_to", "TO_FLOAT");
        DType t = switch (to) {
            case "TO_STRING" -> DType.STRING;
            case "TO_INT64" -> DType.INT64;
            default -> DType.FLOAT;
        };
        boolean sparse = c.attrs().getString("map_form", "DENSE").equals("SPARSE");
        long max = c.attrs().getLong("max_map", 1);
        return OpResult.free(Tensor.of(t, new Shape(List.of(Dim.of(1), sparse && max > 0 ? Dim.of(max) : Dim.UNKNOWN))));
    }

    /** DictVectorizer: a map to [1, vocabulary] of the map's value type. */
    static OpResult dictVectorizer(OpContext c) {
        long v = Math.max(c.attrs().length("string_vocabulary"), c.attrs().length("int64_vocabulary"));
        DType t = DType.UNDEFINED;
        if (c.input(0).type() instanceof ValueType.MapType m && m.value() instanceof ValueType.TensorType tt) {
            t = tt.dtype();
        }
        return OpResult.free(Tensor.of(t, new Shape(List.of(Dim.of(1), v > 0 ? Dim.of(v) : Dim.UNKNOWN))));
    }

    /** FeatureVectorizer: inputs [N, Ci] joined into [N, Σ inputdimensions], FLOAT. */
    static OpResult featureVectorizer(OpContext c) {
        long[] dims = c.attrs().getLongs("inputdimensions").orElse(null);
        Dim n = Dim.UNKNOWN;
        for (int i = 0; i < c.inputCount(); i++) {
            Tensor x = c.input(i);
            if (x.rank() >= 1) {
                n = x.rank() == 1 ? Dim.of(1) : x.dim(0);
                break;
            }
        }
        Count total = Count.UNKNOWN;
        if (dims != null) {
            total = Count.ZERO;
            for (long d : dims) {
                total = total.plus(d); // a negative size makes it unknown
            }
        }
        return OpResult.free(Tensor.of(DType.FLOAT, new Shape(List.of(n, total.asDim()))));
    }
}
