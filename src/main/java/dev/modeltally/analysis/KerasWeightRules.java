package dev.modeltally.analysis;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ops.KerasShapeRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The weights a built-in Keras layer creates, with the shapes its config and input shape imply
 * (Keras's {@code build()} methods). A dim the config does not fix (an input size that is not known)
 * is left unknown and not checked. {@code null} means "no rule for this class".
 */
final class KerasWeightRules {

    /**
     * One implied weight: {@code roles} are the names Keras has used for it (Keras 2 and 3 differ),
     * {@code part} the sublayer it belongs to (forward/backward RNN, query/key/value/output projection).
     */
    record Expect(String part, List<String> roles, Shape shape) {

        String label() {
            return part == null ? roles.get(0) : part + " " + roles.get(0);
        }

        boolean matches(String weightName, String layer) {
            String[] seg = weightName.split("/");
            String last = seg[seg.length - 1];
            int colon = last.indexOf(':');
            if (!roles.contains(colon < 0 ? last : last.substring(0, colon))) {
                return false;
            }
            if (part == null) {
                return true;
            }
            int from = 0;
            for (int i = 0; i < seg.length - 1; i++) {
                if (seg[i].equals(layer)) {
                    from = i + 1; // sublayer names come after the layer's own name
                }
            }
            for (int i = from; i < seg.length - 1; i++) {
                if (seg[i].startsWith(part) || seg[i].endsWith(part)) {
                    return true;
                }
            }
            return false;
        }

        boolean fits(Shape stored) {
            if (!stored.rankKnown() || stored.rank() != shape.rank()) {
                return false;
            }
            for (int i = 0; i < shape.rank(); i++) {
                long want = shape.dim(i).valueOr(-1);
                if (want >= 0 && want != stored.dim(i).valueOr(-2)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Set<String> NO_WEIGHTS = Set.of("InputLayer", "Flatten", "Reshape", "Permute",
            "RepeatVector", "Dropout", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "ThresholdedReLU", "Add",
            "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "Masking", "GaussianNoise",
            "GaussianDropout", "AlphaDropout", "ActivityRegularization", "Identity", "UnitNormalization", "Rescaling",
            "Resizing", "CenterCrop");

    private static final Pattern NO_WEIGHT_FAMILIES = Pattern.compile(
            "(Max|Average|GlobalMax|GlobalAverage)Pooling\\dD|(UpSampling|ZeroPadding|Cropping|SpatialDropout)\\dD");

    private KerasWeightRules() {
    }

    static List<Expect> expected(String op, Attributes a, List<Shape> in) {
        String c = KerasShapeRules.canonical(op);
        if (NO_WEIGHTS.contains(c)
                || NO_WEIGHT_FAMILIES.matcher(c).matches()) {
            return List.of();
        }
        Shape x = KerasShapeRules.first(in);
        int n = c.contains("1D") ? 1 : c.contains("2D") ? 2 : c.contains("3D") ? 3 : 0;
        List<Expect> out = new ArrayList<>();
        long units = a.getLong("units", -1);
        long filters = a.getLong("filters", -1);
        boolean bias = a.getBoolean("use_bias", true);
        switch (KerasShapeRules.family(c)) {
            case "Dense" -> {
                out.add(expect(null, "kernel", last(x), units));
                optional(out, bias, null, "bias", units);
            }
            case "ConvND" -> {
                long cin = channels(x, a);
                long groups = a.getLong("groups", 1);
                long per = cin < 0 || groups <= 0 || cin % groups != 0 ? -1 : cin / groups;
                out.add(expect(null, "kernel", concat(KerasShapeRules.tuple(a, "kernel_size", n, -1), per, filters)));
                optional(out, bias, null, "bias", filters);
            }
            case "ConvNDTranspose" -> {
                long[] k = KerasShapeRules.tuple(a, "kernel_size", n, -1);
                out.add(expect(null, "kernel", concat(k, filters, channels(x, a))));
                optional(out, bias, null, "bias", filters);
            }
            case "DepthwiseConvND" -> {
                long cin = channels(x, a);
                long m = a.getLong("depth_multiplier", 1);
                out.add(new Expect(null, List.of("kernel", "depthwise_kernel"),
                        shape(concat(KerasShapeRules.tuple(a, "kernel_size", n, -1), cin, m))));
                optional(out, bias, null, "bias", cin < 0 ? -1 : cin * m);
            }
            case "SeparableConvND" -> {
                long cin = channels(x, a);
                long m = a.getLong("depth_multiplier", 1);
                long[] ones = new long[n];
                Arrays.fill(ones, 1);
                out.add(expect(null, "depthwise_kernel", concat(KerasShapeRules.tuple(a, "kernel_size", n, -1), cin, m)));
                out.add(expect(null, "pointwise_kernel", concat(ones, cin < 0 ? -1 : cin * m, filters)));
                optional(out, bias, null, "bias", filters);
            }
            case "Embedding" -> out.add(expect(null, "embeddings", a.getLong("input_dim", -1),
                    a.getLong("output_dim", -1)));
            case "LSTM", "GRU", "SimpleRNN" -> rnn(out, c, a, last(x), null);
            case "Bidirectional" -> {
                Object layer = a.get("layer").orElse(null);
                Object backward = a.get("backward_layer").orElse(layer);
                if (!rnn(out, layer, last(x), "forward") || !rnn(out, backward, last(x), "backward")) {
                    return null;
                }
            }
            case "LayerNormalization", "BatchNormalization", "GroupNormalization", "SyncBatchNormalization" ->
                    normalization(out, c, a, x);
            case "MultiHeadAttention" -> mha(out, a, in);
            default -> {
                return null;
            }
        }
        return out;
    }

    private static boolean rnn(List<Expect> out, Object layer, long d, String part) {
        if (layer instanceof Map<?, ?> m && m.get("class_name") instanceof String cls
                && m.get("config") instanceof Map<?, ?> cfg && Set.of("LSTM", "GRU", "SimpleRNN").contains(cls)) {
            @SuppressWarnings("unchecked")
            Attributes a = new Attributes((Map<String, Object>) cfg);
            rnn(out, cls, a, d, part);
            return true;
        }
        return false;
    }

    /** Keras keeps one bias per gate (4·h for LSTM); GRU with reset_after keeps two, stored (2, 3·h). */
    private static void rnn(List<Expect> out, String cls, Attributes a, long d, String part) {
        long h = a.getLong("units", -1);
        long gates = cls.equals("LSTM") ? 4 : cls.equals("GRU") ? 3 : 1;
        long g = h < 0 ? -1 : gates * h;
        out.add(expect(part, "kernel", d, g));
        out.add(expect(part, "recurrent_kernel", h, g));
        if (a.getBoolean("use_bias", true)) {
            boolean twoBiases = cls.equals("GRU") && a.getBoolean("reset_after", true);
            out.add(twoBiases ? expect(part, "bias", 2, g) : expect(part, "bias", g));
        }
    }

    private static void normalization(List<Expect> out, String c, Attributes a, Shape x) {
        long[] axes = a.getLongs("axis").orElse(new long[] {-1});
        long[] dims = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int ax = !x.rankKnown() ? -1 : (int) (axes[i] < 0 ? x.rank() + axes[i] : axes[i]);
            dims[i] = ax < 0 || ax >= x.rank() ? -1 : x.dim(ax).valueOr(-1);
        }
        optional(out, a.getBoolean("scale", true), null, "gamma", dims);
        optional(out, a.getBoolean("center", true), null, "beta", dims);
        if (c.contains("BatchNormalization")) {
            out.add(expect(null, "moving_mean", dims));
            out.add(expect(null, "moving_variance", dims));
        }
    }

    /** Projections of shape (in, heads, key_dim) and (heads, value_dim, out), biases without the input dim. */
    private static void mha(List<Expect> out, Attributes a, List<Shape> in) {
        long h = a.getLong("num_heads", -1);
        long kd = a.getLong("key_dim", -1);
        long vd = a.getLong("value_dim", kd);
        long q = last(in.isEmpty() ? Shape.unknownRank() : in.get(0));
        long v = in.size() > 1 ? last(in.get(1)) : q;
        long k = in.size() > 2 ? last(in.get(2)) : v;
        long[] o = a.get("output_shape").isPresent() && a.get("output_shape").get() instanceof List<?>
                ? a.getLongs("output_shape").orElse(new long[] {-1})
                : new long[] {a.getLong("output_shape", q)};
        boolean bias = a.getBoolean("use_bias", true);
        out.add(expect("query", "kernel", q, h, kd));
        optional(out, bias, "query", "bias", h, kd);
        out.add(expect("key", "kernel", k, h, kd));
        optional(out, bias, "key", "bias", h, kd);
        out.add(expect("value", "kernel", v, h, vd));
        optional(out, bias, "value", "bias", h, vd);
        out.add(expect("output", "kernel", concat(new long[] {h, vd}, o)));
        optional(out, bias, "output", "bias", o);
    }

    private static void optional(List<Expect> out, boolean present, String part, String role, long... dims) {
        if (present) {
            out.add(expect(part, role, dims));
        }
    }

    private static Expect expect(String part, String role, long... dims) {
        return new Expect(part, List.of(role), shape(dims));
    }

    private static Shape shape(long... dims) {
        List<Dim> d = new ArrayList<>(dims.length);
        for (long v : dims) {
            d.add(v < 0 ? Dim.UNKNOWN : Dim.of(v));
        }
        return new Shape(d);
    }

    private static long[] concat(long[] head, long... tail) {
        long[] r = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, r, head.length, tail.length);
        return r;
    }

    private static long last(Shape x) {
        return x.rankKnown() && x.rank() > 0 ? x.dim(x.rank() - 1).valueOr(-1) : -1;
    }

    private static long channels(Shape x, Attributes a) {
        if (!x.rankKnown() || x.rank() < 2) {
            return -1;
        }
        return x.dim(KerasShapeRules.channelAxis(x, a)).valueOr(-1);
    }
}
