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
    static Count steps(Shape s) {
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
        private static Count batchLike(KerasCall c, Shape q) {
            long[] axes = c.attrs().getLongs("attention_axes").orElse(null);
            if (axes == null) {
                return Count.ONE;
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
            Count p = Count.ONE;
            for (int i = 1; i < q.rank() - 1; i++) {
                p = attention[i] ? p : p.times(Count.of(q.dim(i)));
            }
            return p;
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            Shape q = query(c);
            Shape v = value(c);
            Shape k = key(c);
            long h = c.num("num_heads", -1);
            long kd = c.num("key_dim", -1);
            long vd = c.num("value_dim", kd);
            long[] o = outDims(c);
            if (!q.rankKnown() || !v.rankKnown() || !k.rankKnown() || q.rank() < 3 || h < 0 || kd < 0
                    || o == null) {
                return Cost.UNKNOWN;
            }
            Count heads = Count.of(h);
            Count b = KerasCall.count(q, 0);
            Count tq = steps(q);
            Count tv = steps(v);
            // (query, key) positions that meet
            Count pairs = tq.times(tv).div(batchLike(c, q).orElse(0));
            Count dout = Count.product(o);
            Count perSample = Count.sum(tq.times(KerasCall.count(q, -1)).times(heads).times(kd),
                    tv.times(KerasCall.count(k, -1)).times(heads).times(kd),
                    tv.times(KerasCall.count(v, -1)).times(heads).times(vd),
                    heads.times(pairs).times(kd), heads.times(pairs).times(vd), tq.times(heads).times(vd).times(dout));
            boolean bias = c.flag("use_bias", true);
            Count biasAdds = bias ? Count.sum(tq.times(heads).times(kd), tv.times(heads).times(kd),
                    tv.times(heads).times(vd), tq.times(dout)) : Count.ZERO;
            Count other = b.times(biasAdds.plus(heads.times(pairs).times(4)));
            return Cost.of(b.times(perSample), other);
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
            Count b = KerasCall.count(q, 0);
            Count tq = steps(q);
            Count tk = steps(k);
            Count dq = KerasCall.count(q, -1);
            Count query = tq.times(dq).times(hq, hd);
            Count perSample = Count.sum(query, tk.times(KerasCall.count(k, -1)).times(hkv, hd),
                    steps(v).times(KerasCall.count(v, -1)).times(hkv, hd),
                    c.flag("use_gate", false) ? query : Count.ZERO,
                    tq.times(tk).times(2, hq, hd), tq.times(dq).times(hq, hd));
            Count biasAdds = c.flag("use_bias", true) ? Count.sum(tq.times(2, hq, hd), tk.times(2, hkv, hd),
                    tq.times(dq)) : Count.ZERO;
            Count other = b.times(biasAdds.plus(tq.times(tk).times(4, hq)));
            return Cost.of(b.times(perSample), other);
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
            Count pairs = Count.product(KerasCall.count(q, 0), KerasCall.count(q, 1), KerasCall.count(v, 1));
            Count d = KerasCall.count(q, -1);
            boolean matmulScores = !additive && c.text("score_mode", "dot").equals("dot");
            Count macs = (matmulScores ? pairs.times(d) : Count.ZERO).plus(pairs.times(KerasCall.count(v, -1)));
            // softmax 3 per score; scale 1; additive/concat scores: add, tanh, scale, sum per feature
            Count other = Count.sum(pairs.times(3), c.flag("use_scale", additive) ? pairs : Count.ZERO,
                    matmulScores ? Count.ZERO : pairs.times(d).times(4));
            return Cost.of(macs, other);
        }
    }
}
