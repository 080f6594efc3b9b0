package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.List;

/**
 * Fused attention: com.microsoft Attention (with its QKV projection), MultiHeadAttention,
 * GroupQueryAttention, and ONNX Attention (opset 23). MACs: the projection (Attention only) plus
 * Q·Kᵀ and P·V over all heads: B·S·L·(D_qk + D_v), where L counts past tokens too. Other FLOPs:
 * scaling and softmax, 1 + {@value ReduceRules#SOFTMAX} per score, and bias adds.
 */
final class AttentionRules {

    private AttentionRules() {
    }

    /** com.microsoft Attention: input [B, S, in], weights [in, Hq + Hk + Hv], bias, mask, past. */
    static OpResult contribAttention(OpContext c) {
        Tensor x = c.input(0);
        Tensor w = c.input(1);
        long heads = c.attrs().getLong("num_heads", -1);
        long[] qkv = c.attrs().getLongs("qkv_hidden_sizes").orElse(null);
        Dim total = w.dim(1);
        Dim hq;
        Dim hk;
        Dim hv;
        if (qkv != null && qkv.length == 3) {
            hq = Dim.of(qkv[0]);
            hk = Dim.of(qkv[1]);
            hv = Dim.of(qkv[2]);
        } else {
            hq = DimMath.div(total, Dim.of(3));
            hk = hq;
            hv = hq;
        }
        Dim b = x.dim(0);
        Dim s = x.dim(1);
        OpResult.Builder out = OpResult.builder();
        out.weight(1, new Shape(List.of(x.dim(2), DimMath.add(DimMath.add(hq, hk), hv))), "qkv weight");
        if (c.present(2)) {
            out.weight(2, new Shape(List.of(DimMath.add(DimMath.add(hq, hk), hv))), "qkv bias");
        }
        Dim past = Dim.of(0);
        if (c.present(4)) {
            past = c.input(4).dim(3); // past [2, B, heads, past_len, head]
        }
        Dim l = DimMath.add(past, s);
        out.output(Tensor.of(x.dtype(), x.rank() == 3 ? new Shape(List.of(b, s, hv)) : Shape.unknownRank()));
        if (c.node().outputs().size() > 1) {
            Dim head = heads > 0 ? DimMath.div(hk, Dim.of(heads)) : Dim.UNKNOWN;
            out.output(Tensor.of(x.dtype(), new Shape(List.of(Dim.of(2), b, heads > 0 ? Dim.of(heads) : Dim.UNKNOWN,
                    l, head))));
        }
        Count rows = Count.product(b, s);
        Count proj = rows.times(Count.product(x.dim(2), DimMath.add(DimMath.add(hq, hk), hv)));
        Count scores = rows.times(Count.of(l)).times(Count.ofPositive(heads));
        Count macs = proj.plus(rows.times(Count.of(l)).times(Count.of(hq).plus(Count.of(hv))));
        Count bias = c.present(2) ? rows.times(Count.of(DimMath.add(DimMath.add(hq, hk), hv))) : Count.ZERO;
        return out.macs(macs).other(bias.plus(scores.times(1 + ReduceRules.SOFTMAX))).build();
    }

    /** com.microsoft MultiHeadAttention: query [B, S, D]; key/value [B, L, D] or [B, N, L, H]; packed forms. */
    static OpResult multiHead(OpContext c) {
        Tensor q = c.input(0);
        long heads = c.attrs().getLong("num_heads", -1);
        Dim b = q.dim(0);
        Dim s = q.dim(1);
        Dim d;
        Dim dv;
        Dim l;
        if (q.rank() == 5) { // packed QKV [B, S, N, 3, H]
            d = DimMath.mul(q.dim(2), q.dim(4));
            dv = d;
            l = s;
        } else {
            d = q.dim(2);
            Tensor k = c.input(1);
            Tensor v = c.input(2);
            if (k.rank() == 4) { // [B, N, L, H]
                l = k.dim(2);
                dv = v.rank() == 4 ? DimMath.mul(v.dim(1), v.dim(3)) : d;
            } else if (k.rank() == 3) {
                l = k.dim(1);
                dv = v.rank() == 3 ? v.dim(2) : d;
            } else if (k.rank() == 5) { // packed KV [B, L, N, 2, H]
                l = k.dim(1);
                dv = d;
            } else {
                l = Dim.UNKNOWN;
                dv = Dim.UNKNOWN;
            }
            if (c.present(6) && c.input(6).rank() == 4 && k.rank() == 3) { // past_key [B, N, P, H]
                l = DimMath.add(l, c.input(6).dim(2));
            }
        }
        OpResult.Builder out = OpResult.builder();
        out.output(Tensor.of(q.dtype(), q.rankKnown() ? new Shape(List.of(b, s, dv)) : Shape.unknownRank()));
        Dim n = heads > 0 ? Dim.of(heads) : Dim.UNKNOWN;
        for (int i = 1; i < c.node().outputs().size(); i++) {
            Dim head = DimMath.div(i == 1 ? d : dv, n);
            out.output(Tensor.of(q.dtype(), i <= 2 ? new Shape(List.of(b, n, l, head)) : Shape.unknownRank()));
        }
        Count rows = Count.product(b, s);
        Count macs = rows.times(Count.of(l)).times(Count.of(d).plus(Count.of(dv)));
        Count scores = rows.times(Count.of(l)).times(Count.ofPositive(heads));
        Count bias = c.present(3) ? rows.times(Count.sum(Count.of(d), Count.of(d), Count.of(dv))) : Count.ZERO;
        return out.macs(macs).other(bias.plus(scores.times(1 + ReduceRules.SOFTMAX))).build();
    }

    /** com.microsoft GroupQueryAttention: query [B, S, D] (or packed QKV), kv heads share queries. */
    static OpResult groupQuery(OpContext c) {
        Tensor q = c.input(0);
        long heads = c.attrs().getLong("num_heads", -1);
        long kvHeads = c.attrs().getLong("kv_num_heads", -1);
        Dim b = q.dim(0);
        Dim s = q.dim(1);
        Dim d = q.dim(2);
        if (!c.present(1) && heads > 0 && kvHeads > 0) { // packed [B, S, (N + 2·Nkv)·H]
            d = DimMath.div(DimMath.mul(d, Dim.of(heads)), Dim.of(heads + 2 * kvHeads));
        }
        Dim head = heads > 0 ? DimMath.div(d, Dim.of(heads)) : Dim.UNKNOWN;
        SymInt totalValue = c.present(6) && c.input(6).values() != null && c.input(6).values().size() == 1
                ? c.input(6).values().get(0) : SymInt.UNKNOWN;
        Dim l = totalValue.toDim();
        if (!l.isFixed() && c.present(3) && c.input(3).rank() == 4) {
            l = DimMath.add(c.input(3).dim(2), s);
        } else if (!l.isFixed() && !c.present(3)) {
            l = s;
        }
        OpResult.Builder out = OpResult.builder();
        out.output(Tensor.of(q.dtype(), q.rankKnown() ? new Shape(List.of(b, s, d)) : Shape.unknownRank()));
        Dim kvN = kvHeads > 0 ? Dim.of(kvHeads) : Dim.UNKNOWN;
        for (int i = 1; i < Math.min(3, c.node().outputs().size()); i++) {
            out.output(Tensor.of(q.dtype(), new Shape(List.of(b, kvN, l, head))));
        }
        Count rows = Count.product(b, s);
        Count macs = rows.times(Count.of(l)).times(2).times(Count.of(d));
        Count scores = rows.times(Count.of(l)).times(Count.ofPositive(heads));
        return out.macs(macs).other(scores.times(1 + ReduceRules.SOFTMAX)).build();
    }

    /** ONNX Attention (opset 23): Q/K/V as [B, N, S, H] or [B, S, N·H] with q_num_heads/kv_num_heads. */
    static OpResult onnxAttention(OpContext c) {
        Tensor q = c.input(0);
        Tensor k = c.input(1);
        Tensor v = c.input(2);
        long qHeads = c.attrs().getLong("q_num_heads", -1);
        Dim b = q.dim(0);
        Dim s;
        Dim heads;
        Dim dqk;
        Dim dv;
        Dim l;
        if (q.rank() == 4) {
            heads = q.dim(1);
            s = q.dim(2);
            dqk = q.dim(3);
            l = k.dim(2);
            dv = v.dim(3);
        } else {
            heads = qHeads > 0 ? Dim.of(qHeads) : Dim.UNKNOWN;
            s = q.dim(1);
            dqk = DimMath.div(q.dim(2), heads);
            l = k.dim(1);
            long kvHeads = c.attrs().getLong("kv_num_heads", -1);
            dv = DimMath.div(v.dim(2), kvHeads > 0 ? Dim.of(kvHeads) : Dim.UNKNOWN);
        }
        if (c.present(4) && c.input(4).rank() == 4) { // past_key [B, Nkv, P, H]
            l = DimMath.add(l, c.input(4).dim(2));
        }
        OpResult.Builder out = OpResult.builder();
        Shape y = q.rank() == 4 ? new Shape(List.of(b, heads, s, dv))
                : (q.rank() == 3 ? new Shape(List.of(b, s, DimMath.mul(heads, dv))) : Shape.unknownRank());
        out.output(Tensor.of(q.dtype(), y));
        for (int i = 1; i < c.node().outputs().size(); i++) {
            out.output(Tensor.UNKNOWN);
        }
        Count scores = Count.product(b, heads, s, l);
        Count macs = scores.times(Count.of(dqk).plus(Count.of(dv)));
        return out.macs(macs).other(scores.times(1 + ReduceRules.SOFTMAX)).build();
    }

    /** RotaryEmbedding: the input's shape; x·cos + rotate(x)·sin is 3 FLOPs per element. */
    static OpResult rotary(OpContext c) {
        Tensor x = c.input(0);
        return OpResult.builder().output(Tensor.of(x.dtype(), x.shape())).macs(0).other(x.elements().times(3))
                .build();
    }
}
