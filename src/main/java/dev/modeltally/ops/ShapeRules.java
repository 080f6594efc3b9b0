package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that only move or re-view data: Shape, Size, Reshape, Flatten, Squeeze, Unsqueeze,
 * Transpose, Expand, Tile. No arithmetic (0 MACs, 0 other FLOPs). Values pass through, so shape
 * vectors computed with them stay known.
 */
final class ShapeRules {

    private ShapeRules() {
    }

    static OpResult shape(OpContext c) {
        Tensor x = c.input(0);
        if (!x.rankKnown()) {
            return OpResult.free(Tensor.of(DType.INT64, new Shape(List.of(Dim.UNKNOWN))));
        }
        int r = x.rank();
        int start = clampAxis(c.attrs().getLong("start", 0), r);
        int end = clampAxis(c.attrs().getLong("end", r), r);
        List<SymInt> values = new ArrayList<>();
        for (int i = start; i < end; i++) {
            values.add(SymInt.of(x.dim(i)));
        }
        return OpResult.free(Tensor.vector(DType.INT64, values));
    }

    private static int clampAxis(long a, int r) {
        long v = a < 0 ? a + r : a;
        return (int) Math.max(0, Math.min(r, v));
    }

    static OpResult size(OpContext c) {
        Tensor x = c.input(0);
        SymInt n = x.rankKnown() ? SymInt.of(DimMath.product(x.shape().dims())) : SymInt.UNKNOWN;
        return OpResult.free(Tensor.scalar(DType.INT64, n));
    }

    static OpResult reshape(OpContext c) {
        Tensor x = c.input(0);
        List<SymInt> target;
        if (c.present(1)) {
            Tensor t = c.input(1);
            target = t.values();
            if (target == null) {
                Dim n = t.dim(0);
                Shape s = t.rank() == 1 && n instanceof Dim.Fixed f ? Shapes.unknownDims((int) f.value())
                        : Shape.unknownRank();
                return OpResult.free(Tensor.of(x.dtype(), s));
            }
        } else {
            long[] attr = c.attrs().getLongs("shape").orElse(null);
            if (attr == null) {
                return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()));
            }
            target = new ArrayList<>();
            for (long v : attr) {
                target.add(SymInt.of(v));
            }
        }
        boolean allowZero = c.attrs().getLong("allowzero", 0) != 0;
        List<Dim> dims = new ArrayList<>();
        int inferred = -1;
        OpResult.Builder b = OpResult.builder();
        for (int i = 0; i < target.size(); i++) {
            SymInt v = target.get(i);
            if (v instanceof SymInt.Known k && k.value() == 0 && !allowZero) {
                dims.add(x.dim(i));
            } else if (v instanceof SymInt.Known k && k.value() == -1) {
                inferred = i;
                dims.add(Dim.UNKNOWN);
            } else {
                dims.add(v.toDim());
            }
        }
        if (inferred >= 0 && x.rankKnown()) {
            List<Dim> others = new ArrayList<>(dims);
            others.remove(inferred);
            Dim d = DimMath.div(DimMath.product(x.shape().dims()), DimMath.product(others));
            dims.set(inferred, d);
        }
        Shape out = new Shape(dims);
        Count in = x.elements();
        Count got = Shapes.elements(out);
        if (in.known() && got.known() && !in.equals(got)) {
            b.problem("cannot reshape " + x.shape() + " (" + in + " elements) to " + out);
        }
        return b.output(new Tensor(x.dtype(), out, x.values())).macs(0).other(0).build();
    }

    static OpResult flatten(OpContext c) {
        Tensor x = c.input(0);
        if (!x.rankKnown()) {
            return OpResult.free(Tensor.of(x.dtype(), Shapes.unknownDims(2)));
        }
        long axisAttr = c.attrs().getLong("axis", 1);
        int axis = (int) (axisAttr < 0 ? axisAttr + x.rank() : axisAttr);
        if (axis < 0 || axis > x.rank()) {
            return OpResult.builder().output(Tensor.of(x.dtype(), Shapes.unknownDims(2)))
                    .problem("axis " + axisAttr + " out of range for rank " + x.rank()).build();
        }
        Dim outer = DimMath.product(Shapes.dims(x.shape(), 0, axis));
        Dim inner = DimMath.product(Shapes.dims(x.shape(), axis, x.rank()));
        return OpResult.free(new Tensor(x.dtype(), new Shape(List.of(outer, inner)), x.values()));
    }

    static OpResult squeeze(OpContext c) {
        Tensor x = c.input(0);
        Args.Ints axes = Args.ints(c, "axes", 1);
        if (!x.rankKnown() || (axes.given() && !axes.known())) {
            return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()).withValues(x.values()));
        }
        boolean[] drop = new boolean[x.rank()];
        if (axes.given()) {
            for (long a : axes.values()) {
                int k = Shapes.axis(a, x.rank());
                if (k < 0) {
                    return OpResult.builder().output(Tensor.of(x.dtype(), Shape.unknownRank()))
                            .problem("axis " + a + " out of range for rank " + x.rank()).build();
                }
                drop[k] = true;
            }
        } else {
            for (int i = 0; i < x.rank(); i++) {
                Dim d = x.dim(i);
                if (!d.isFixed()) {
                    return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()).withValues(x.values()));
                }
                drop[i] = DimMath.isOne(d);
            }
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            if (!drop[i]) {
                dims.add(x.dim(i));
            }
        }
        return OpResult.free(new Tensor(x.dtype(), new Shape(dims), x.values()));
    }

    static OpResult unsqueeze(OpContext c) {
        Tensor x = c.input(0);
        Args.Ints axes = Args.ints(c, "axes", 1);
        if (!x.rankKnown() || !axes.known()) {
            return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()).withValues(x.values()));
        }
        int rank = x.rank() + axes.values().length;
        boolean[] one = new boolean[rank];
        for (long a : axes.values()) {
            int k = Shapes.axis(a, rank);
            if (k < 0 || one[k]) {
                return OpResult.builder().output(Tensor.of(x.dtype(), Shape.unknownRank()))
                        .problem("bad axes " + Arrays.toString(axes.values()) + " for rank " + x.rank()).build();
            }
            one[k] = true;
        }
        List<Dim> dims = new ArrayList<>();
        int src = 0;
        for (int i = 0; i < rank; i++) {
            dims.add(one[i] ? Dim.of(1) : x.dim(src++));
        }
        return OpResult.free(new Tensor(x.dtype(), new Shape(dims), x.values()));
    }

    static OpResult transpose(OpContext c) {
        Tensor x = c.input(0);
        if (!x.rankKnown()) {
            return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()));
        }
        int r = x.rank();
        long[] perm = c.attrs().getLongs("perm").orElse(null);
        List<Dim> dims = new ArrayList<>();
        int[] order = new int[r];
        for (int i = 0; i < r; i++) {
            long p = perm == null ? r - 1 - i : (i < perm.length ? perm[i] : -1);
            int k = perm != null && perm.length != r ? -1 : Shapes.axis(p, r);
            if (k < 0) {
                return OpResult.builder().output(Tensor.of(x.dtype(), Shapes.unknownDims(r)))
                        .problem("perm " + Arrays.toString(perm) + " does not fit rank " + r).build();
            }
            order[i] = k;
            dims.add(x.dim(k));
        }
        List<SymInt> values = null;
        if (r <= 1) {
            values = x.values();
        } else if (x.values() != null && x.shape().isFullyKnown()) {
            values = Values.pick(x, Values.wholeAxes(x.shape().sizes()), order);
        }
        return OpResult.free(new Tensor(x.dtype(), new Shape(dims), values));
    }

    static OpResult expand(OpContext c) {
        Tensor x = c.input(0);
        Tensor target = c.input(1);
        if (target.values() == null) {
            Dim n = target.dim(0);
            Shape s = target.rank() == 1 && n instanceof Dim.Fixed f && x.rankKnown()
                    ? Shapes.unknownDims((int) Math.max(f.value(), x.rank())) : Shape.unknownRank();
            return OpResult.free(Tensor.of(x.dtype(), s));
        }
        List<String> problems = new ArrayList<>();
        Shape out = Shapes.broadcast(x.shape(), new Shape(Shapes.fromValues(target.values())), problems);
        List<SymInt> values = Values.elementwise(List.of(x), out, v -> v[0]);
        return OpResult.builder().output(new Tensor(x.dtype(), out, values)).problems(problems).macs(0).other(0)
                .build();
    }

    static OpResult tile(OpContext c) {
        Tensor x = c.input(0);
        Tensor repeats = c.input(1);
        if (!x.rankKnown()) {
            return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()));
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < x.rank(); i++) {
            SymInt r = repeats.values() != null && i < repeats.values().size() ? repeats.values().get(i)
                    : SymInt.UNKNOWN;
            dims.add(DimMath.mul(x.dim(i), r.toDim()));
        }
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }
}
