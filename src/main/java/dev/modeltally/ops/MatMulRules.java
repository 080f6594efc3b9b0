package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * MatMul (numpy semantics: batched, broadcasting, 1-D promotion), Gemm and their quantized and
 * fused forms. MACs: ∏batch·M·K·N — activation × activation products (attention scores) included.
 */
final class MatMulRules {

    record Layout(int a, int b, int bias, DType out) {
    }

    static final Layout MATMUL = new Layout(0, 1, -1, null);
    static final Layout MATMUL_INTEGER = new Layout(0, 1, -1, DType.INT32);
    static final Layout QLINEAR_MATMUL = new Layout(0, 3, -1, null);
    static final Layout TO_FLOAT = new Layout(0, 1, -1, DType.FLOAT);

    private MatMulRules() {
    }

    static OpRule matmul(Layout l) {
        return c -> matmul(c, l, false, false);
    }

    static OpResult fusedMatMul(OpContext c) {
        if (c.attrs().getLong("transBatchA", 0) != 0 || c.attrs().getLong("transBatchB", 0) != 0) {
            return OpResult.unknown(1);
        }
        OpResult r = matmul(c, MATMUL, c.attrs().getLong("transA", 0) != 0, c.attrs().getLong("transB", 0) != 0);
        return r;
    }

    static OpResult matmul(OpContext c, Layout l, boolean transA, boolean transB) {
        Tensor a = c.input(l.a);
        Tensor b = c.input(l.b);
        DType dtype = l.out != null ? l.out : a.dtype();
        if (l == QLINEAR_MATMUL) {
            dtype = c.present(7) ? c.input(7).dtype() : DType.UINT8;
        }
        OpResult.Builder out = OpResult.builder();
        if (!a.rankKnown() || !b.rankKnown() || a.rank() == 0 || b.rank() == 0) {
            out.weight(l.b, Shape.unknownRank(), "weight");
            return out.output(Tensor.of(dtype, Shape.unknownRank())).build();
        }
        List<Dim> ad = new ArrayList<>(a.shape().dims());
        List<Dim> bd = new ArrayList<>(b.shape().dims());
        boolean aVec = ad.size() == 1;
        boolean bVec = bd.size() == 1;
        if (aVec) {
            ad.add(0, Dim.of(1));
        }
        if (bVec) {
            bd.add(Dim.of(1));
        }
        if (transA) {
            swapLast(ad);
        }
        if (transB) {
            swapLast(bd);
        }
        Dim m = ad.get(ad.size() - 2);
        Dim k = ad.get(ad.size() - 1);
        Dim kb = bd.get(bd.size() - 2);
        Dim n = bd.get(bd.size() - 1);
        if (DimMath.conflict(k, kb)) {
            out.problem("inner dims differ: " + a.shape() + " x " + b.shape());
        }
        List<String> problems = new ArrayList<>();
        Shape batch = Shapes.broadcast(new Shape(ad.subList(0, ad.size() - 2)), new Shape(bd.subList(0, bd.size() - 2)),
                problems);
        out.problems(problems);
        List<Dim> dims = new ArrayList<>(batch.dims());
        if (!aVec) {
            dims.add(m);
        }
        if (!bVec) {
            dims.add(n);
        }
        // expected B: its own batch dims, then [K, N] (or [N, K] transposed)
        List<Dim> expectB = new ArrayList<>();
        for (int i = 0; i < b.rank() - 2; i++) {
            expectB.add(Dim.UNKNOWN);
        }
        if (bVec) {
            expectB.add(k);
        } else if (transB) {
            expectB.add(Dim.UNKNOWN);
            expectB.add(k);
        } else {
            expectB.add(k);
            expectB.add(Dim.UNKNOWN);
        }
        out.weight(l.b, new Shape(expectB), "weight");
        Count macs = Shapes.elements(batch).times(Count.product(m, DimMath.unify(k, kb), n));
        return out.output(Tensor.of(dtype, new Shape(dims))).macs(macs).other(0).build();
    }

    private static void swapLast(List<Dim> d) {
        int r = d.size();
        Dim t = d.get(r - 1);
        d.set(r - 1, d.get(r - 2));
        d.set(r - 2, t);
    }

    /** Gemm: Y = alpha·A'·B' + beta·C; QGemm (com.microsoft) has A at 0, B at 3, C at 6. */
    static OpRule gemm(int aIn, int bIn, int cIn) {
        return c -> gemm(c, aIn, bIn, cIn);
    }

    static OpResult gemm(OpContext c, int aIn, int bIn, int cIn) {
        Tensor a = c.input(aIn);
        Tensor b = c.input(bIn);
        boolean transA = c.attrs().getLong("transA", 0) != 0;
        boolean transB = c.attrs().getLong("transB", 0) != 0;
        Dim m = a.rank() == 2 ? a.dim(transA ? 1 : 0) : Dim.UNKNOWN;
        Dim k = a.rank() == 2 ? a.dim(transA ? 0 : 1) : Dim.UNKNOWN;
        Dim kb = b.rank() == 2 ? b.dim(transB ? 1 : 0) : Dim.UNKNOWN;
        Dim n = b.rank() == 2 ? b.dim(transB ? 0 : 1) : Dim.UNKNOWN;
        OpResult.Builder out = OpResult.builder();
        if (DimMath.conflict(k, kb)) {
            out.problem("inner dims differ: " + a.shape() + " x " + b.shape() + (transB ? " (transB)" : ""));
        }
        out.weight(bIn, transB ? new Shape(List.of(Dim.UNKNOWN, k)) : new Shape(List.of(k, Dim.UNKNOWN)), "weight");
        boolean hasC = cIn >= 0 && c.present(cIn);
        if (hasC) {
            out.weight(cIn, Shape.unknownRank(), "bias"); // broadcast to [M, N]: any rank up to 2
            Tensor bias = c.input(cIn);
            List<String> problems = new ArrayList<>();
            Shapes.broadcast(bias.shape(), new Shape(List.of(m, n)), problems);
            problems.forEach(p -> out.problem("bias " + bias.shape() + " does not broadcast to [" + m + ", " + n + "]"));
        }
        Shape y = new Shape(List.of(m, n));
        DType dtype = c.node().opType().equals("QGemm") && c.present(8) ? c.input(8).dtype() : a.dtype();
        Count macs = Count.product(m, DimMath.unify(k, kb), n);
        Count other = hasC ? Shapes.elements(y) : Count.ZERO;
        return out.output(Tensor.of(dtype, y)).macs(macs).other(other).build();
    }

    /**
     * com.microsoft MatMulNBits: A [..., K] times a block-quantized B stored as [N, K/block, block·bits/8].
     * MACs as for a float MatMul of the same size; dequantisation is not counted.
     */
    static OpResult matMulNBits(OpContext c) {
        Tensor a = c.input(0);
        long k = c.attrs().getLong("K", -1);
        long n = c.attrs().getLong("N", -1);
        long bits = c.attrs().getLong("bits", 4);
        long block = c.attrs().getLong("block_size", -1);
        OpResult.Builder out = OpResult.builder();
        if (k > 0 && n > 0 && block > 0) {
            out.weight(1, Shape.of(n, ConvMath.ceilDiv(k, block), block * bits / 8), "packed weight");
        }
        if (!a.rankKnown() || a.rank() == 0 || n < 0) {
            return out.output(Tensor.of(a.dtype(), Shape.unknownRank())).build();
        }
        List<Dim> dims = new ArrayList<>(a.shape().dims());
        dims.set(dims.size() - 1, Dim.of(n));
        Count rows = Shapes.product(dims.subList(0, dims.size() - 1));
        Count other = c.present(5) ? rows.times(n) : Count.ZERO; // bias
        return out.output(Tensor.of(a.dtype(), new Shape(dims))).macs(rows.times(k, n)).other(other).build();
    }
}
