package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Shape;
import java.util.List;
import java.util.Map;

/**
 * MACs and other FLOPs of Keras layers, batch included, from input and output shapes (see
 * docs/counting.md, "Keras layers"). Dense: in·units per row; convolutions: K·(Ci/groups)·Co per output
 * position; depthwise: K·Ci·m per output position; separable: depthwise + Ci·m·Co per output position;
 * transposed: K·Ci·Co per input position; recurrent: T·G·h·(d+h) (G = 4, 3, 1), twice if Bidirectional;
 * MultiHeadAttention: the Q, K, V, O projections, the scores and the weighted sum.
 */
final class KerasCosts {

    private static final long[] UNKNOWN = {Count.UNKNOWN, Count.UNKNOWN};

    private KerasCosts() {
    }

    private static long elems(Shape s) {
        return s == null ? Count.UNKNOWN : Shapes.elements(s);
    }

    private static Shape first(List<Shape> l) {
        return l.isEmpty() ? Shape.unknownRank() : l.get(0);
    }

    private static long dimAt(Shape s, int i) {
        if (!s.rankKnown() || s.rank() == 0) {
            return Count.UNKNOWN;
        }
        int j = i < 0 ? s.rank() + i : i;
        return j < 0 || j >= s.rank() ? Count.UNKNOWN : Count.of(s.dim(j));
    }

    /** FLOPs of a fused activation: 0 for linear/none, 3 per element for softmax, else 1. */
    private static long activation(Attributes a, long elements) {
        Object act = a.get("activation").orElse(null);
        String name = act instanceof String s ? s : act instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c
                && c.get("name") instanceof String s2 ? s2 : act == null ? "linear" : "?";
        if (name.equals("linear") || name.equals("None")) {
            return 0;
        }
        return name.equals("softmax") ? Count.mul(3, elements) : elements; // softmax: exp, sum, divide
    }

    private static long bias(Attributes a, long elements) {
        return a.getBoolean("use_bias", true) ? elements : 0;
    }

    /** Dense and the convolution families. */
    static long[] linear(String op, Attributes a, List<Shape> in, List<Shape> out) {
        Shape x = first(in);
        Shape y = first(out);
        long ye = elems(y);
        if (!x.rankKnown() || !y.rankKnown() || ye < 0) {
            return UNKNOWN;
        }
        long other = Count.add(bias(a, ye), activation(a, ye));
        String family = KerasShapeRules.family(op);
        if (family.equals("Dense")) {
            return new long[] {Count.mul(elems(x), Count.of(y.dim(y.rank() - 1))), other};
        }
        int n = x.rank() - 2;
        if (n < 1) {
            return UNKNOWN;
        }
        long kernel = Count.mul(KerasShapeRules.tuple(a, "kernel_size", n, -1));
        long ci = Count.of(x.dim(KerasShapeRules.channelAxis(x, a)));
        long co = Count.of(y.dim(KerasShapeRules.channelAxis(y, a)));
        long positions = co <= 0 ? Count.UNKNOWN : ye / co; // batch · spatial out
        long m = a.getLong("depth_multiplier", 1);
        long groups = Math.max(1, a.getLong("groups", 1));
        return switch (family) {
            case "ConvND" -> new long[] {ci < 0 ? -1 : Count.mul(ye, kernel, ci / groups), other};
            case "DepthwiseConvND" -> new long[] {Count.mul(ye, kernel), other};
            case "SeparableConvND" -> new long[] {Count.add(Count.mul(positions, ci, m, kernel),
                    Count.mul(positions, ci, m, co)), other};
            case "ConvNDTranspose" -> new long[] {co < 0 ? -1 : Count.mul(elems(x), kernel, co / groups), other};
            default -> UNKNOWN;
        };
    }

    /** LSTM, GRU, SimpleRNN and Bidirectional around one of them. */
    @SuppressWarnings("unchecked")
    static long[] recurrent(String op, Attributes a, List<Shape> in, List<Shape> out) {
        if (op.equals("Bidirectional")) {
            if (!(a.get("layer").orElse(null) instanceof Map<?, ?> m) || !(m.get("class_name") instanceof String cls)
                    || !(m.get("config") instanceof Map<?, ?> cfg)) {
                return UNKNOWN;
            }
            long[] one = recurrent(cls, new Attributes((Map<String, Object>) cfg), in, List.of());
            return new long[] {Count.mul(2, one[0]), Count.add(Count.mul(2, one[1]), mergeCost(a, out))};
        }
        int gates = op.contains("LSTM") ? 4 : op.contains("GRU") ? 3 : op.equals("SimpleRNN") ? 1 : -1;
        Shape x = first(in);
        long h = a.getLong("units", -1);
        if (gates < 0 || !x.rankKnown() || x.rank() != 3 || h < 0) {
            return UNKNOWN;
        }
        long steps = Count.mul(Count.of(x.dim(0)), Count.of(x.dim(1)));
        long d = Count.of(x.dim(2));
        long macs = Count.mul(steps, gates, h, Count.add(d, h));
        // per step: bias adds, gate activations, elementwise cell updates (LSTM/GRU 5h)
        long cell = gates == 1 ? 0 : 5;
        long other = Count.mul(steps, h, 2L * gates + cell);
        return new long[] {macs, other};
    }

    /** Bidirectional merge of the two directions' outputs (sum, mul, ave: one FLOP per element). */
    private static long mergeCost(Attributes a, List<Shape> out) {
        String mode = a.getString("merge_mode", "concat");
        long e = elems(first(out));
        return mode.equals("concat") || e < 0 ? 0 : e;
    }

    /** query [B, Tq.., Dq], value [B, Tv.., Dv], key (default value) [B, Tv.., Dk]. */
    static long[] multiHeadAttention(String op, Attributes a, List<Shape> in, List<Shape> out) {
        Shape q = first(in);
        Shape v = in.size() > 1 ? in.get(1) : q;
        Shape k = in.size() > 2 ? in.get(2) : v;
        long heads = a.getLong("num_heads", -1);
        long kd = a.getLong("key_dim", -1);
        long vd = a.get("value_dim").orElse(null) instanceof Number n ? n.longValue() : kd;
        if (!q.rankKnown() || !v.rankKnown() || !k.rankKnown() || q.rank() < 3 || heads < 0 || kd < 0) {
            return UNKNOWN;
        }
        long b = dimAt(q, 0);
        long tq = Shapes.product(Shapes.dims(q, 1, q.rank() - 1));
        long tv = Shapes.product(Shapes.dims(v, 1, v.rank() - 1));
        long dq = dimAt(q, -1);
        long dv = dimAt(v, -1);
        long dk = dimAt(k, -1);
        long dout = dimAt(first(out), -1);
        long perSample = Count.add(Count.mul(tq, dq, heads, kd), Count.mul(tv, dk, heads, kd),
                Count.mul(tv, dv, heads, vd), Count.mul(heads, tq, tv, kd), Count.mul(heads, tq, tv, vd),
                Count.mul(tq, heads, vd, dout));
        long macs = Count.mul(b, perSample);
        boolean bias = a.getBoolean("use_bias", true);
        long biasAdds = bias ? Count.add(Count.mul(tq, heads, kd), Count.mul(tv, heads, kd), Count.mul(tv, heads, vd),
                Count.mul(tq, dout)) : 0;
        // softmax over the scores: exp, sum, divide; plus the 1/sqrt(key_dim) scaling
        long other = Count.mul(b, Count.add(biasAdds, Count.mul(4, heads, tq, tv)));
        return new long[] {macs, other};
    }

    static long[] normalization(String op, Attributes a, List<Shape> in, List<Shape> out) {
        long e = elems(first(in));
        int per = switch (op) {
            case "BatchNormalization", "SyncBatchNormalization", "Rescaling", "Normalization" -> 2;
            default -> NormRules.STATISTICS + 2;
        };
        return new long[] {e < 0 ? -1 : 0, Count.mul(per, e)};
    }

    static long[] activation(String op, Attributes a, List<Shape> in, List<Shape> out) {
        long e = elems(first(out));
        long per = op.equals("Softmax") || "softmax".equals(a.getString("activation", "")) ? 3 : 1;
        if (op.equals("Activation") && "linear".equals(a.getString("activation", ""))) {
            per = 0;
        }
        return new long[] {e < 0 ? -1 : 0, Count.mul(per, e)};
    }

    static long[] merge(String op, Attributes a, List<Shape> in, List<Shape> out) {
        long e = elems(first(out));
        long per = Math.max(1, in.size() - 1) + (op.equals("Average") ? 1 : 0);
        return new long[] {e < 0 ? -1 : 0, Count.mul(per, e)};
    }

    /** Pooling: one FLOP per window element per output (max compares, average adds). */
    static long[] pooling(String op, Attributes a, List<Shape> in, List<Shape> out) {
        Shape x = first(in);
        if (op.startsWith("Global")) {
            long e = elems(x);
            return new long[] {e < 0 ? -1 : 0, e};
        }
        long e = elems(first(out));
        int n = x.rankKnown() ? x.rank() - 2 : -1;
        if (n < 1 || e < 0) {
            return UNKNOWN;
        }
        return new long[] {0, Count.mul(e, Count.mul(KerasShapeRules.tuple(a, "pool_size", n, 2)))};
    }
}
