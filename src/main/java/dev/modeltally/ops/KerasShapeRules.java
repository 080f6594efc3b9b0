package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output shapes of Keras layers from their input shapes and config, as Keras's own
 * {@code compute_output_shape} defines them. A layer this does not know, or an input it cannot
 * decide, gives an unknown shape: never a guess. Shapes are batch-first; the batch dim passes through.
 */
public final class KerasShapeRules {

    private static final Pattern POOL_ALIAS = Pattern.compile("(Global)?(Avg|Max)Pool(\\dD)");
    private static final Pattern SPATIAL = Pattern.compile("[123]D");

    private static final Set<String> SAME_SHAPE = Set.of("Activation", "ReLU", "LeakyReLU", "PReLU", "ELU",
            "ThresholdedReLU", "Softmax", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
            "GaussianDropout", "GaussianNoise", "AlphaDropout", "BatchNormalization", "LayerNormalization",
            "GroupNormalization", "UnitNormalization", "RMSNormalization", "Normalization", "Rescaling", "Masking",
            "ActivityRegularization", "Identity", "SyncBatchNormalization", "RandomFlip", "RandomRotation",
            "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness");
    private static final Set<String> MERGE = Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum");
    private static final Set<String> RNN = Set.of("LSTM", "GRU", "SimpleRNN", "CuDNNLSTM", "CuDNNGRU");

    private KerasShapeRules() {
    }

    /** Shapes of a layer call's outputs; unknown-rank shapes where the rule cannot decide. */
    public static List<Shape> outputs(String op, Attributes a, List<Shape> in) {
        if (RNN.contains(op)) {
            return rnn(op, a, first(in));
        }
        return List.of(output(op, a, in));
    }

    static Shape output(String op, Attributes a, List<Shape> in) {
        Shape x = first(in);
        if (SAME_SHAPE.contains(op) || MERGE.contains(op)) {
            return x;
        }
        if (!x.rankKnown() || x.rank() == 0) {
            return Shape.unknownRank();
        }
        String base = canonical(op);
        int n = spatialRank(base);
        return switch (family(base)) {
            case "Dense" -> withLast(x, dim(a.getLong("units", -1)));
            case "Embedding" -> append(x, a.getLong("output_dim", -1));
            case "ConvND" -> KerasSpatialShapes.conv(x, a, n, a.getLong("filters", -1), false);
            case "SeparableConvND" -> KerasSpatialShapes.conv(x, a, n, a.getLong("filters", -1), false);
            case "DepthwiseConvND" -> KerasSpatialShapes.conv(x, a, n, -2, false);
            case "ConvNDTranspose" -> KerasSpatialShapes.conv(x, a, n, a.getLong("filters", -1), true);
            case "MaxPoolingND", "AveragePoolingND" -> KerasSpatialShapes.pool(x, a, n);
            case "GlobalMaxPoolingND", "GlobalAveragePoolingND" -> KerasSpatialShapes.global(x, a, n);
            case "UpSamplingND" -> KerasSpatialShapes.resize(x, a, n, "size", (d, v) -> d * v[0]);
            case "ZeroPaddingND" -> KerasSpatialShapes.resize(x, a, n, "padding", (d, v) -> d + v[0] + v[1]);
            case "CroppingND" -> KerasSpatialShapes.resize(x, a, n, "cropping", (d, v) -> d - v[0] - v[1]);
            case "Flatten" -> flatten(x);
            case "Reshape" -> reshape(x, a);
            case "RepeatVector" -> new Shape(List.of(x.dim(0), dim(a.getLong("n", -1)), x.dim(x.rank() - 1)));
            case "Permute" -> permute(x, a);
            case "Concatenate" -> concat(in, a.getLong("axis", -1));
            case "MultiHeadAttention" -> mha(x, a);
            case "Bidirectional" -> bidirectional(x, a);
            case "TimeDistributed" -> timeDistributed(x, a);
            default -> Shape.unknownRank();
        };
    }

    /** Keras's aliases (Convolution2D, MaxPool2D, GlobalAvgPool1D, ...) under one name. */
    public static String canonical(String op) {
        String s = op.replace("Convolution", "Conv");
        Matcher m = POOL_ALIAS.matcher(s);
        if (!m.matches()) {
            return s;
        }
        String kind = m.group(2).equals("Avg") ? "Average" : "Max";
        return (m.group(1) == null ? "" : "Global") + kind + "Pooling" + m.group(3);
    }

    /** The name with its 1D/2D/3D replaced by ND: Conv2D → ConvND, Conv3DTranspose → ConvNDTranspose. */
    public static String family(String canonical) {
        return SPATIAL.matcher(canonical).replaceAll("ND");
    }

    private static int spatialRank(String op) {
        return op.contains("1D") ? 1 : op.contains("2D") ? 2 : op.contains("3D") ? 3 : 0;
    }

    public static Shape first(List<Shape> in) {
        return in.isEmpty() ? Shape.unknownRank() : in.get(0);
    }

    public static boolean channelsFirst(Attributes a) {
        return "channels_first".equals(a.getString("data_format", "channels_last"));
    }

    /** The channel dim of an N-d feature map: last, or second for channels_first. */
    public static int channelAxis(Shape x, Attributes a) {
        return channelsFirst(a) ? 1 : x.rank() - 1;
    }

    /** A size from a config: negative (absent, or a broken file) is unknown. */
    public static Dim dim(long v) {
        return v < 0 ? Dim.UNKNOWN : Dim.of(v);
    }

    private static Shape withLast(Shape x, Dim last) {
        List<Dim> d = new ArrayList<>(x.dims());
        d.set(d.size() - 1, last);
        return new Shape(d);
    }

    private static Shape append(Shape x, long v) {
        List<Dim> d = new ArrayList<>(x.dims());
        d.add(v < 0 ? Dim.UNKNOWN : Dim.of(v));
        return new Shape(d);
    }

    /** n values from an int-or-list attribute (kernel_size: 3 or [3, 3]). */
    public static long[] tuple(Attributes a, String key, int n, long fallback) {
        long[] v = a.getLongs(key).orElse(new long[] {fallback});
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = v.length == 1 ? v[0] : i < v.length ? v[i] : fallback;
        }
        return out;
    }

    private static Shape flatten(Shape x) {
        long n = 1;
        for (int i = 1; i < x.rank(); i++) {
            long v = x.dim(i).valueOr(-1);
            if (v < 0) {
                return new Shape(List.of(x.dim(0), Dim.UNKNOWN));
            }
            n = Math.multiplyExact(n, v);
        }
        return new Shape(List.of(x.dim(0), Dim.of(n)));
    }

    private static Shape reshape(Shape x, Attributes a) {
        long[] target = a.getLongs("target_shape").orElse(null);
        if (target == null) {
            return Shape.unknownRank();
        }
        List<Dim> d = new ArrayList<>();
        d.add(x.dim(0));
        long known = 1;
        int free = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] < 0) {
                free = i;
                d.add(Dim.UNKNOWN);
            } else {
                known *= target[i];
                d.add(Dim.of(target[i]));
            }
        }
        if (free >= 0) {
            Shape flat = flatten(x);
            long total = flat.dim(1).valueOr(-1);
            d.set(free + 1, total < 0 || known == 0 ? Dim.UNKNOWN : Dim.of(total / known));
        }
        return new Shape(d);
    }

    private static Shape permute(Shape x, Attributes a) {
        long[] dims = a.getLongs("dims").orElse(null);
        if (dims == null || dims.length != x.rank() - 1) {
            return Shape.unknownRank();
        }
        List<Dim> d = new ArrayList<>();
        d.add(x.dim(0));
        for (long i : dims) {
            d.add(i >= 1 && i < x.rank() ? x.dim((int) i) : Dim.UNKNOWN);
        }
        return new Shape(d);
    }

    private static Shape concat(List<Shape> in, long axis) {
        Shape x = first(in);
        int ax = (int) (axis < 0 ? x.rank() + axis : axis);
        if (ax <= 0 || ax >= x.rank()) {
            return Shape.unknownRank();
        }
        long sum = 0;
        for (Shape s : in) {
            long v = s.rankKnown() && s.rank() == x.rank() ? s.dim(ax).valueOr(-1) : -1;
            sum = v < 0 || sum < 0 ? -1 : sum + v;
        }
        List<Dim> d = new ArrayList<>(x.dims());
        d.set(ax, sum < 0 ? Dim.UNKNOWN : Dim.of(sum));
        return new Shape(d);
    }

    private static Shape mha(Shape query, Attributes a) {
        Object out = a.get("output_shape").orElse(null);
        if (out instanceof Number n) {
            return withLast(query, dim(n.longValue()));
        }
        return out == null ? query : Shape.unknownRank();
    }

    private static List<Shape> rnn(String op, Attributes a, Shape x) {
        if (!x.rankKnown() || x.rank() != 3) {
            return List.of(Shape.unknownRank());
        }
        Dim units = dim(a.getLong("units", -1));
        Shape state = new Shape(List.of(x.dim(0), units));
        Shape out = a.getBoolean("return_sequences", false) ? new Shape(List.of(x.dim(0), x.dim(1), units)) : state;
        if (!a.getBoolean("return_state", false)) {
            return List.of(out);
        }
        return op.contains("LSTM") ? List.of(out, state, state) : List.of(out, state);
    }

    /** The layer a wrapper (Bidirectional, TimeDistributed) holds: {class_name, config}, or null. */
    @SuppressWarnings("unchecked")
    public static Map.Entry<String, Attributes> wrapped(Attributes a) {
        if (!(a.get("layer").orElse(null) instanceof Map<?, ?> m) || !(m.get("config") instanceof Map<?, ?> cfg)
                || !(m.get("class_name") instanceof String cls)) {
            return null;
        }
        return Map.entry(cls, new Attributes((Map<String, Object>) cfg));
    }

    /** TimeDistributed input [B, T, rest...] as its layer sees it: [B·T, rest...] (batch unknown if B is). */
    public static Shape mergeTime(Shape x) {
        if (!x.rankKnown() || x.rank() < 3) {
            return Shape.unknownRank();
        }
        List<Dim> d = new ArrayList<>();
        long b = x.dim(0).valueOr(-1);
        long t = x.dim(1).valueOr(-1);
        d.add(b < 0 || t < 0 ? Dim.UNKNOWN : Dim.of(Math.multiplyExact(b, t)));
        d.addAll(x.dims().subList(2, x.rank()));
        return new Shape(d);
    }

    private static Shape timeDistributed(Shape x, Attributes a) {
        Map.Entry<String, Attributes> inner = wrapped(a);
        if (inner == null || x.rank() < 3) {
            return Shape.unknownRank();
        }
        List<Dim> child = new ArrayList<>();
        child.add(x.dim(0));
        child.addAll(x.dims().subList(2, x.rank()));
        Shape o = output(inner.getKey(), inner.getValue(), List.of(new Shape(child)));
        if (!o.rankKnown() || o.rank() < 1) {
            return Shape.unknownRank();
        }
        List<Dim> d = new ArrayList<>(List.of(x.dim(0), x.dim(1)));
        d.addAll(o.dims().subList(1, o.rank()));
        return new Shape(d);
    }

    @SuppressWarnings("unchecked")
    private static Shape bidirectional(Shape x, Attributes a) {
        Object layer = a.get("layer").orElse(null);
        if (!(layer instanceof Map<?, ?> m) || !(m.get("config") instanceof Map<?, ?> cfg)
                || !(m.get("class_name") instanceof String cls)) {
            return Shape.unknownRank();
        }
        Shape one = rnn(cls, new Attributes((Map<String, Object>) cfg), x).get(0);
        String merge = a.getString("merge_mode", "concat");
        if (!merge.equals("concat") || !one.rankKnown()) {
            return one;
        }
        long u = one.dim(one.rank() - 1).valueOr(-1);
        return withLast(one, dim(u < 0 ? -1 : 2 * u));
    }
}
