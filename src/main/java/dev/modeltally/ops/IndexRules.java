package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexing and joining: Concat, Split, Gather, GatherElements, GatherND, Scatter*, Pad,
 * DepthToSpace, SpaceToDepth, OneHot, NonZero. Data movement only (0 FLOPs); values of rank-1
 * tensors are propagated.
 */
final class IndexRules {

    private IndexRules() {
    }

    static OpResult concat(OpContext c) {
        List<Tensor> ins = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.present(i)) {
                ins.add(c.input(i));
            }
        }
        int rank = -1;
        for (Tensor t : ins) {
            if (t.rankKnown()) {
                rank = t.rank();
            }
        }
        DType dtype = ins.isEmpty() ? DType.UNDEFINED : ins.get(0).dtype();
        long defaultAxis = c.opset() > 0 && c.opset() < 4 ? 1 : 0; // Concat-1: axis optional, default 1
        int axis = Shapes.axis(c.attrs().getLong("axis", defaultAxis), rank);
        if (rank < 0 || axis < 0) {
            return OpResult.free(Tensor.of(dtype, rank < 0 ? Shape.unknownRank() : Shapes.unknownDims(rank)));
        }
        OpResult.Builder b = OpResult.builder();
        List<Dim> dims = new ArrayList<>();
        List<SymInt> values = rank == 1 ? new ArrayList<>() : null;
        for (int i = 0; i < rank; i++) {
            Dim acc = i == axis ? Dim.of(0) : Dim.UNKNOWN;
            for (Tensor t : ins) {
                Dim d = t.rankKnown() && t.rank() == rank ? t.dim(i) : Dim.UNKNOWN;
                if (i == axis) {
                    acc = DimMath.add(acc, d);
                } else {
                    if (DimMath.conflict(acc, d)) {
                        b.problem("inputs differ in dim " + i + ": " + acc + " vs " + d);
                    }
                    // the inputs' dims off the axis are equal wherever the model runs: x and min(x, c)
                    // are x, two other different expressions the first
                    acc = Shapes.isMinWithConstant(acc, d) ? acc : Shapes.isMinWithConstant(d, acc) ? d
                            : acc instanceof Dim.Symbolic && d instanceof Dim.Symbolic ? acc
                            : DimMath.unify(acc, d);
                }
            }
            dims.add(acc);
        }
        if (values != null) {
            for (Tensor t : ins) {
                if (t.values() == null) {
                    values = null;
                    break;
                }
                values.addAll(t.values());
            }
        }
        return b.output(new Tensor(dtype, new Shape(dims), values)).macs(0).other(0).build();
    }

    static OpResult split(OpContext c) {
        Tensor x = c.input(0);
        int outs = c.node().outputs().size();
        int axis = Shapes.axis(c.attrs().getLong("axis", 0), x.rank());
        Args.Ints split = Args.ints(c, "split", 1);
        List<SymInt> symSplit = split.given() && !split.known() ? Args.symInts(c, "split", 1) : null;
        OpResult.Builder b = OpResult.builder().macs(0).other(0);
        if (axis < 0 || (split.given() && !split.known() && symSplit == null)) {
            for (int i = 0; i < outs; i++) {
                b.output(Tensor.of(x.dtype(), x.rankKnown() ? Shapes.unknownDims(x.rank()) : Shape.unknownRank()));
            }
            return b.build();
        }
        Dim whole = x.dim(axis);
        List<Dim> sizes = new ArrayList<>();
        if (symSplit != null) {
            sizes.addAll(Shapes.fromValues(symSplit));
        } else if (split.given()) {
            for (long s : split.values()) {
                sizes.add(s >= 0 ? Dim.of(s) : Dim.UNKNOWN);
            }
        } else if (whole instanceof Dim.Fixed f && outs > 0) {
            long chunk = ConvMath.ceilDiv(f.value(), outs);
            for (int i = 0; i < outs; i++) {
                sizes.add(Dim.of(Math.max(0, Math.min(chunk, f.value() - chunk * i))));
            }
        } else {
            Dim each = DimMath.div(whole, Dim.of(Math.max(1, outs)));
            for (int i = 0; i < outs; i++) {
                sizes.add(each instanceof Dim.Unknown && outs > 0 ? unevenChunk(whole, outs, i) : each);
            }
        }
        long offset = 0;
        for (int i = 0; i < outs; i++) {
            Dim s = i < sizes.size() ? sizes.get(i) : Dim.UNKNOWN;
            List<Dim> dims = new ArrayList<>(x.shape().dims());
            dims.set(axis, s);
            List<SymInt> values = null;
            if (x.rank() == 1 && x.values() != null && s instanceof Dim.Fixed f && offset >= 0
                    && offset + f.value() <= x.values().size()) {
                values = x.values().subList((int) offset, (int) (offset + f.value()));
            }
            offset = s instanceof Dim.Fixed f && offset >= 0 ? offset + f.value() : -1;
            b.output(new Tensor(x.dtype(), new Shape(dims), values));
        }
        return b.build();
    }

    /** Chunk {@code i} of an equal split of a symbolic size, as the fixed case: max(0, min(ceil(n/k), n - i*ceil(n/k))). */
    private static Dim unevenChunk(Dim whole, int outs, int i) {
        dev.modeltally.ir.Expr n = whole.expr();
        if (n == null) {
            return Dim.UNKNOWN;
        }
        try {
            dev.modeltally.ir.Expr chunk = dev.modeltally.ir.Expr.ceilDiv(n, outs);
            return Dim.of(SymbolicSlice.max(dev.modeltally.ir.Expr.ZERO,
                    SymbolicSlice.min(chunk, n.minus(chunk.times(i)))));
        } catch (ArithmeticException e) {
            return Dim.UNKNOWN;
        }
    }

    static OpResult gather(OpContext c) {
        Tensor data = c.input(0);
        Tensor idx = c.input(1);
        int axis = Shapes.axis(c.attrs().getLong("axis", 0), data.rank());
        if (axis < 0 || !idx.rankKnown()) {
            return OpResult.free(Tensor.of(data.dtype(), Shape.unknownRank()));
        }
        List<Dim> dims = new ArrayList<>(Shapes.dims(data.shape(), 0, axis));
        dims.addAll(idx.shape().dims());
        dims.addAll(Shapes.dims(data.shape(), axis + 1, data.rank()));
        List<SymInt> values = null;
        if (data.rank() == 1 && data.values() != null && idx.values() != null) {
            int n = data.values().size();
            values = new ArrayList<>();
            for (SymInt i : idx.values()) {
                if (!(i instanceof SymInt.Known known)) {
                    values.add(SymInt.UNKNOWN);
                    continue;
                }
                long k = known.value() < 0 ? known.value() + n : known.value();
                values.add(k >= 0 && k < n ? data.values().get((int) k) : SymInt.UNKNOWN);
            }
        }
        return OpResult.free(new Tensor(data.dtype(), new Shape(dims), values));
    }

    static OpResult gatherElements(OpContext c) {
        return OpResult.free(Tensor.of(c.input(0).dtype(), c.input(1).shape()));
    }

    static OpResult gatherNd(OpContext c) {
        Tensor data = c.input(0);
        Tensor idx = c.input(1);
        int batch = (int) c.attrs().getLong("batch_dims", 0);
        if (!data.rankKnown() || !idx.rankKnown() || idx.rank() < 1 || !(idx.dim(-1) instanceof Dim.Fixed last)) {
            return OpResult.free(Tensor.of(data.dtype(), Shape.unknownRank()));
        }
        int from = batch + (int) last.value();
        if (from > data.rank()) {
            return OpResult.builder().output(Tensor.of(data.dtype(), Shape.unknownRank()))
                    .problem("index depth " + last.value() + " exceeds rank " + data.rank()).build();
        }
        List<Dim> dims = new ArrayList<>(Shapes.dims(idx.shape(), 0, idx.rank() - 1));
        dims.addAll(Shapes.dims(data.shape(), from, data.rank()));
        return OpResult.free(Tensor.of(data.dtype(), new Shape(dims)));
    }

    /** ScatterND, ScatterElements, Scatter, Trilu, ReverseSequence: the data's shape. */
    static OpResult sameAsData(OpContext c) {
        Tensor x = c.input(0);
        return OpResult.free(Tensor.of(x.dtype(), x.shape()));
    }

    static OpResult pad(OpContext c) {
        Tensor x = c.input(0);
        Args.Ints pads = c.present(1) ? Args.ints(c, null, 1)
                : Args.ints(c, c.attrs().has("pads") ? "pads" : "paddings", -1);
        Args.Ints axes = Args.ints(c, null, 3);
        List<SymInt> symPads = !pads.known() && c.present(1) ? Args.symInts(c, null, 1) : null;
        if (symPads != null && x.rankKnown() && (!axes.given() || axes.known())) {
            return symbolicPad(x, symPads, axes.values());
        }
        if (!x.rankKnown() || !pads.known() || (axes.given() && !axes.known())) {
            return OpResult.free(Tensor.of(x.dtype(), x.rankKnown() ? Shapes.unknownDims(x.rank())
                    : Shape.unknownRank()));
        }
        int r = x.rank();
        long[] ax = axes.known() ? axes.values() : null;
        int n = ax == null ? r : ax.length;
        if (pads.values().length != 2 * n) {
            return OpResult.builder().output(Tensor.of(x.dtype(), Shapes.unknownDims(r)))
                    .problem("pads has " + pads.values().length + " values for " + n + " axes").build();
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        for (int i = 0; i < n; i++) {
            int k = ax == null ? i : Shapes.axis(ax[i], r);
            if (k < 0) {
                return OpResult.free(Tensor.of(x.dtype(), Shapes.unknownDims(r)));
            }
            long extra = pads.values()[i] + pads.values()[i + n];
            Dim d = dims.get(k);
            dims.set(k, d instanceof Dim.Fixed f ? (f.value() + extra >= 0 ? Dim.of(f.value() + extra) : Dim.UNKNOWN)
                    : DimMath.affine(d, 1, extra));
        }
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }

    /** Pad by pads of symbolic value (F.pad's pads computed from sizes): each axis grows by its two pads. */
    private static OpResult symbolicPad(Tensor x, List<SymInt> pads, long[] ax) {
        int r = x.rank();
        int n = ax == null ? r : ax.length;
        if (pads.size() != 2 * n) {
            return OpResult.builder().output(Tensor.of(x.dtype(), Shapes.unknownDims(r)))
                    .problem("pads has " + pads.size() + " values for " + n + " axes").build();
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        for (int i = 0; i < n; i++) {
            int k = ax == null ? i : Shapes.axis(ax[i], r);
            if (k < 0) {
                return OpResult.free(Tensor.of(x.dtype(), Shapes.unknownDims(r)));
            }
            SymInt grown = Values.add(Values.add(SymInt.of(dims.get(k)), pads.get(i)), pads.get(i + n));
            dims.set(k, grown.toDim());
        }
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }

    static OpResult depthToSpace(OpContext c, boolean toSpace) {
        Tensor x = c.input(0);
        long bs = c.attrs().getLong("blocksize", -1);
        if (x.rank() != 4 || bs <= 0) {
            return OpResult.free(Tensor.of(x.dtype(), Shapes.unknownDims(4)));
        }
        Dim b = Dim.of(bs);
        Dim b2 = Dim.of(bs * bs);
        Shape s = toSpace
                ? new Shape(List.of(x.dim(0), blocks(x.dim(1), bs * bs), DimMath.mul(x.dim(2), b), DimMath.mul(x.dim(3), b)))
                : new Shape(List.of(x.dim(0), DimMath.mul(x.dim(1), b2), blocks(x.dim(2), bs), blocks(x.dim(3), bs)));
        return OpResult.free(Tensor.of(x.dtype(), s));
    }

    /**
     * A size cut into blocks: exact division; a symbolic size that does not divide as a polynomial is
     * floor(n/b), equal to it wherever the op runs (the op requires the size to divide).
     */
    private static Dim blocks(Dim n, long b) {
        Dim q = DimMath.div(n, Dim.of(b));
        return q instanceof Dim.Unknown && n instanceof Dim.Symbolic ? DimMath.floorDiv(n, b) : q;
    }

    static OpResult oneHot(OpContext c) {
        Tensor idx = c.input(0);
        Tensor depth = c.input(1);
        DType dtype = c.input(2).dtype();
        if (!idx.rankKnown()) {
            return OpResult.free(Tensor.of(dtype, Shape.unknownRank()));
        }
        int axis = Shapes.axis(c.attrs().getLong("axis", -1), idx.rank() + 1);
        SymInt d = depth.values() != null && depth.values().size() == 1 ? depth.values().get(0) : SymInt.UNKNOWN;
        if (d instanceof SymInt.Real r) {
            d = SymInt.of((long) r.value());
        }
        List<Dim> dims = new ArrayList<>(idx.shape().dims());
        dims.add(Math.max(0, axis), d.toDim());
        return OpResult.free(Tensor.of(dtype, new Shape(dims)));
    }

    /** NonZero: [rank, count] with the count data-dependent (Unknown by nature, not by omission). */
    static OpResult nonZero(OpContext c) {
        Tensor x = c.input(0);
        Dim r = x.rankKnown() ? Dim.of(x.rank()) : Dim.UNKNOWN;
        return OpResult.free(Tensor.of(DType.INT64, new Shape(List.of(r, Dim.UNKNOWN))));
    }
}
