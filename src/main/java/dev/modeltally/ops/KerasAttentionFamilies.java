package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras attention layers; inputs are query, value, then key (default value), batch first. MACs: the
 * projections (EinsumDense sublayers), the scores over the attention axes and the weighted sum;
 * softmax (exp, sum, divide) and the 1/sqrt(d) scaling, bias adds and additive scores are other FLOPs.
 */
final class KerasAttentionFamilies {

    private KerasAttentionFamilies() {
    }

    static Shape query(KerasCall c) {
        return c.x();
    }

    static Shape value(KerasCall c) {
        return c.in().size() > 1 ? c.in().get(1) : c.x();
    }

    static Shape key(KerasCall c) {
        return c.in().size() > 2 ? c.in().get(2) : value(c);
    }

    /** Product of the dims between batch and features. */
    static long steps(Shape s) {
        return s.rankKnown() && s.rank() >= 2 ? Shapes.product(Shapes.dims(s, 1, s.rank() - 1)) : Count.UNKNOWN;
    }

    static void qkv(KerasCall c, Map<String, long[]> sizes) {
        sizes.put("q", new long[] {KerasCall.size(query(c), -1)});
        sizes.put("v", new long[] {KerasCall.size(value(c), -1)});
        sizes.put("k", new long[] {KerasCall.size(key(c), -1)});
    }

    static final class MultiHead implements KerasFamily {
        /** output_shape: absent → the query's features; an int or a list → those sizes. */
        private static long[] outDims(KerasCall c) {
            Object o = c.attr("output_shape");
            if (o == null) {
                return new long[] {KerasCall.size(query(c), -1)};
            }
            if (o instanceof Number n) {
                return new long[] {n.longValue()};
            }
            return c.attrs().getLongs("output_shape").orElse(null);
        }

        @Override
        public List<Shape> outputs(KerasCall c) {
            Shape q = query(c);
            long[] o = outDims(c);
            if (!q.rankKnown() || q.rank() < 2 || o == null) {
                return List.of(Shape.unknownRank());
            }
            List<Dim> d = new ArrayList<>(q.dims().subList(0, q.rank() - 1));
            for (long v : o) {
                d.add(KerasCall.dim(v));
            }
            return List.of(new Shape(d));
        }

        @Override
        public void sizes(KerasCall c, Map<String, long[]> sizes) {
            qkv(c, sizes);
            long[] o = outDims(c);
            if (o != null) {
                sizes.put("OUT...", o);
            }
        }

        /** The product of the query's middle axes that are not attention axes (they act as batch). */
        private static long batchLike(KerasCall c, Shape q) {
            long[] axes = c.attrs().getLongs("attention_axes").orElse(null);
            if (axes == null) {
                return 1;
            }
            int projected = q.rank() + 1; // [B, T..., heads, key_dim]
            boolean[] attention = new boolean[q.rank()];
            for (long a : axes) {
                int i = (int) (a < 0 ? projected + a : a);
                if (i <= 0 || i >= q.rank() - 1) {
                    return Count.UNKNOWN;
                }
                attention[i] = true;
            }
            long p = 1;
            for (int i = 1; i < q.rank() - 1; i++) {
                p = attention[i] ? p : Count.mul(p, Count.of(q.dim(i)));
            }
            return p;
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            Shape q = query(c);
            Shape v = value(c);
            Shape k = key(c);
            long heads = c.num("num_heads", -1);
            long kd = c.num("key_dim", -1);
            long vd = c.num("value_dim", kd);
            long[] o = outDims(c);
            if (!q.rankKnown() || !v.rankKnown() || !k.rankKnown() || q.rank() < 3 || heads < 0 || kd < 0
                    || o == null) {
                return Cost.UNKNOWN;
            }
            long b = KerasCall.size(q, 0);
            long tq = steps(q);
            long tv = steps(v);
            long a = batchLike(c, q);
            long pairs = a <= 0 ? Count.UNKNOWN : Count.mul(tq, tv) / a; // (query, key) positions that meet
            long dout = Count.mul(o);
            long perSample = Count.add(Count.mul(tq, KerasCall.size(q, -1), heads, kd),
                    Count.mul(tv, KerasCall.size(k, -1), heads, kd), Count.mul(tv, KerasCall.size(v, -1), heads, vd),
                    Count.mul(heads, pairs, kd), Count.mul(heads, pairs, vd), Count.mul(tq, heads, vd, dout));
            boolean bias = c.flag("use_bias", true);
            long biasAdds = bias ? Count.add(Count.mul(tq, heads, kd), Count.mul(tv, heads, kd),
                    Count.mul(tv, heads, vd), Count.mul(tq, dout)) : 0;
            long other = Count.mul(b, Count.add(biasAdds, Count.mul(4, heads, pairs)));
            return new Cost(Count.mul(b, perSample), other);
        }
    }

    /** GroupQueryAttention: key and value heads shared by groups of query heads; optional gate. */
    static final class GroupQuery implements KerasFamily {
        @Override
        public List<Shape> outputs(KerasCall c) {
            return List.of(query(c));
        }

        @Override
        public void sizes(KerasCall c, Map<String, long[]> sizes) {
            qkv(c, sizes);
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            Shape q = query(c);
            Shape v = value(c);
            Shape k = key(c);
            long hq = c.num("num_query_heads", -1);
            long hkv = c.num("num_key_value_heads", -1);
            long hd = c.num("head_dim", -1);
            if (!q.rankKnown() || !v.rankKnown() || !k.rankKnown() || q.rank() != 3 || hq < 0 || hkv < 0 || hd < 0) {
                return Cost.UNKNOWN;
            }
            long b = KerasCall.size(q, 0);
            long tq = steps(q);
            long tk = steps(k);
            long dq = KerasCall.size(q, -1);
            long query = Count.mul(tq, dq, hq, hd);
            long perSample = Count.add(query, Count.mul(tk, KerasCall.size(k, -1), hkv, hd),
                    Count.mul(steps(v), KerasCall.size(v, -1), hkv, hd), c.flag("use_gate", false) ? query : 0,
                    Count.mul(2, hq, tq, tk, hd), Count.mul(tq, hq, hd, dq));
            long biasAdds = c.flag("use_bias", true) ? Count.add(Count.mul(2, tq, hq, hd), Count.mul(2, tk, hkv, hd),
                    Count.mul(tq, dq)) : 0;
            long other = Count.mul(b, Count.add(biasAdds, Count.mul(4, hq, tq, tk)));
            return new Cost(Count.mul(b, perSample), other);
        }
    }

    /** Attention (Luong, dot or concat scores) and AdditiveAttention (Bahdanau): [B, Tq, dv]. */
    static final class DotProduct implements KerasFamily {
        private final boolean additive;

        DotProduct(boolean additive) {
            this.additive = additive;
        }

        @Override
        public List<Shape> outputs(KerasCall c) {
            Shape q = query(c);
            Shape v = value(c);
            if (!q.rankKnown() || !v.rankKnown() || q.rank() != 3 || v.rank() != 3) {
                return List.of(Shape.unknownRank());
            }
            Shape out = new Shape(List.of(q.dim(0), q.dim(1), v.dim(2)));
            return List.of(out, new Shape(List.of(q.dim(0), q.dim(1), v.dim(1))));
        }

        @Override
        public void sizes(KerasCall c, Map<String, long[]> sizes) {
            qkv(c, sizes);
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            Shape q = query(c);
            Shape v = value(c);
            if (!q.rankKnown() || !v.rankKnown() || q.rank() != 3 || v.rank() != 3) {
                return Cost.UNKNOWN;
            }
            long pairs = Count.mul(KerasCall.size(q, 0), KerasCall.size(q, 1), KerasCall.size(v, 1));
            long d = KerasCall.size(q, -1);
            boolean matmulScores = !additive && c.text("score_mode", "dot").equals("dot");
            long macs = Count.add(matmulScores ? Count.mul(pairs, d) : 0, Count.mul(pairs, KerasCall.size(v, -1)));
            // softmax 3 per score; scale 1; additive/concat scores: add, tanh, scale, sum per feature
            long other = Count.add(Count.mul(3, pairs), c.flag("use_scale", additive) ? pairs : 0,
                    matmulScores ? 0 : Count.mul(4, pairs, d));
            return new Cost(macs, other);
        }
    }
}
