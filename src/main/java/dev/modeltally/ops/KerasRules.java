package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules for Keras layers (domain {@code keras}, attributes = the layer config). A node's inputs are
 * its activations followed by its weights; output shapes come from {@link KerasShapeRules} (Keras's
 * compute_output_shape, channels_last by default) and the cost from {@link KerasCosts}. Nested models
 * run their subgraph, whose layers carry the cost. Layers not registered here stay without a rule.
 */
final class KerasRules {

    static final String K = "keras:";

    /** The cost of one layer call from its activation input shapes and output shapes. */
    @FunctionalInterface
    interface Cost {
        /** {macs, other FLOPs}, -1 where unknown. */
        long[] of(String op, Attributes a, List<Shape> in, List<Shape> out);
    }

    /** The cost function of each registered layer class (TimeDistributed looks its layer up here). */
    private static final Map<String, Cost> COSTS = new HashMap<>();

    private KerasRules() {
    }

    static void register(Map<String, OpRule> m) {
        Cost free = (op, a, in, out) -> new long[] {0, 0};
        for (String op : new String[] {"InputLayer", "Flatten", "Reshape", "Dropout", "SpatialDropout1D",
            "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout", "GaussianNoise", "AlphaDropout", "Permute",
            "RepeatVector", "Concatenate", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D",
            "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Masking",
            "ActivityRegularization", "Identity", "Embedding"}) {
            put(m, op, free);
        }
        for (String op : new String[] {"Dense", "Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D",
            "Convolution3D", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
            "SeparableConvolution1D", "SeparableConvolution2D", "Conv1DTranspose", "Conv2DTranspose",
            "Conv3DTranspose", "Convolution2DTranspose", "Convolution3DTranspose"}) {
            put(m, op, KerasCosts::linear);
        }
        for (String op : new String[] {"LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU", "Bidirectional"}) {
            put(m, op, KerasCosts::recurrent);
        }
        put(m, "MultiHeadAttention", KerasCosts::multiHeadAttention);
        for (String op : new String[] {"BatchNormalization", "SyncBatchNormalization", "LayerNormalization",
            "GroupNormalization", "UnitNormalization", "RMSNormalization", "Normalization", "Rescaling"}) {
            put(m, op, KerasCosts::normalization);
        }
        for (String op : new String[] {"Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "ThresholdedReLU",
            "Softmax"}) {
            put(m, op, KerasCosts::activation);
        }
        for (String op : new String[] {"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"}) {
            put(m, op, KerasCosts::merge);
        }
        for (String n : new String[] {"1D", "2D", "3D"}) {
            for (String op : new String[] {"MaxPooling", "AveragePooling", "MaxPool", "AvgPool", "GlobalMaxPooling",
                "GlobalAveragePooling", "GlobalMaxPool", "GlobalAvgPool"}) {
                put(m, op + n, KerasCosts::pooling);
            }
        }
        put(m, "TimeDistributed", KerasRules::timeDistributed);
        for (String op : new String[] {"Sequential", "Functional", "Model"}) {
            m.put(K + op, KerasRules::nested);
        }
    }

    /** Indexes of the node's activation inputs (present and not a stored weight). */
    static List<Integer> activations(OpContext c) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.present(i) && c.storedWeight(i) == null) {
                out.add(i);
            }
        }
        return out;
    }

    private static void put(Map<String, OpRule> m, String op, Cost cost) {
        COSTS.put(op, cost);
        m.put(K + op, layer(cost));
    }

    /** The cost of the layer a TimeDistributed wraps, applied to B·T rows. */
    static long[] timeDistributed(String op, Attributes a, List<Shape> in, List<Shape> out) {
        Map.Entry<String, Attributes> inner = KerasShapeRules.wrapped(a);
        Cost cost = inner == null ? null : COSTS.get(KerasShapeRules.canonical(inner.getKey()));
        if (cost == null || in.isEmpty() || out.isEmpty()) {
            return new long[] {Count.UNKNOWN, Count.UNKNOWN};
        }
        return cost.of(KerasShapeRules.canonical(inner.getKey()), inner.getValue(),
                List.of(KerasShapeRules.mergeTime(in.get(0))), List.of(KerasShapeRules.mergeTime(out.get(0))));
    }

    static OpRule layer(Cost cost) {
        return c -> {
            List<Shape> in = new ArrayList<>();
            DType dtype = DType.UNDEFINED;
            for (int i : activations(c)) {
                Tensor t = c.input(i);
                in.add(t.shape());
                if (dtype == DType.UNDEFINED) {
                    dtype = t.dtype();
                }
            }
            dtype = policy(c.attrs(), dtype);
            String op = c.node().opType();
            List<Shape> out;
            if (op.equals("InputLayer")) {
                out = in.isEmpty() ? List.of(Shape.unknownRank()) : List.of(in.get(0));
            } else {
                try {
                    out = KerasShapeRules.outputs(op, c.attrs(), in);
                } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
                    out = List.of(Shape.unknownRank());
                }
            }
            OpResult.Builder b = OpResult.builder();
            for (int i = 0; i < c.node().outputs().size(); i++) {
                b.output(Tensor.of(dtype, i < out.size() ? out.get(i) : Shape.unknownRank()));
            }
            long[] mo;
            try {
                mo = cost.of(KerasShapeRules.canonical(op), c.attrs(), in, out);
            } catch (ArithmeticException | IndexOutOfBoundsException | IllegalArgumentException e) {
                mo = new long[] {Count.UNKNOWN, Count.UNKNOWN};
            }
            return b.macs(mo[0]).other(mo[1]).build();
        };
    }

    /** A nested model: its layers are evaluated (and counted) as a subgraph run once per call. */
    static OpResult nested(OpContext c) {
        if (c.node().subgraphs().isEmpty()) {
            return OpResult.unknown(c.node().outputs().size());
        }
        List<Tensor> in = new ArrayList<>();
        for (int i : activations(c)) {
            in.add(c.input(i));
        }
        List<Tensor> out = c.runSubgraph(c.node().subgraphs().get(0), in, 1);
        OpResult.Builder b = OpResult.builder();
        for (int i = 0; i < c.node().outputs().size(); i++) {
            b.output(i < out.size() ? out.get(i) : Tensor.UNKNOWN);
        }
        return b.macs(0).other(0).build();
    }

    /** A layer computes in its dtype policy's compute type (float32 unless the config says otherwise). */
    private static DType policy(Attributes a, DType fallback) {
        Object p = a.get("dtype").orElse(null);
        String name = p instanceof String s ? s : null;
        if (p instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> cfg && cfg.get("name") instanceof String s) {
            name = s;
        }
        if (name == null) {
            return fallback == DType.UNDEFINED ? DType.FLOAT : fallback;
        }
        return switch (name) {
            case "float16", "mixed_float16" -> DType.FLOAT16;
            case "bfloat16", "mixed_bfloat16" -> DType.BFLOAT16;
            case "float64" -> DType.DOUBLE;
            default -> DType.FLOAT;
        };
    }
}
