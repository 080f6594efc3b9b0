package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Slice: starts/ends/axes as attributes (opset < 10) or inputs, steps as an input, with ONNX's
 * clamping of out-of-range and negative indices. A symbolic dim, or symbolic starts and ends, give
 * the clamped length as an expression ({@link SymbolicSlice}). Tracked values are sliced too (any rank,
 * negative steps included), as F.pad's exported pads need.
 */
final class SliceRule {

    private SliceRule() {
    }

    static OpResult slice(OpContext c) {
        Tensor x = c.input(0);
        Args.Ints starts = Args.ints(c, "starts", 1);
        Args.Ints ends = Args.ints(c, "ends", 2);
        Args.Ints axes = Args.ints(c, "axes", 3);
        Args.Ints steps = Args.ints(c, null, 4);
        if (!x.rankKnown()) {
            return OpResult.free(Tensor.of(x.dtype(), Shape.unknownRank()));
        }
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        List<SymInt> symStarts = Args.symInts(c, "starts", 1);
        List<SymInt> symEnds = Args.symInts(c, "ends", 2);
        if ((!starts.known() || !ends.known()) && symStarts != null && symEnds != null
                && symStarts.size() == symEnds.size() && (!axes.given() || axes.known())
                && (!steps.given() || steps.known())) {
            return SymbolicSlice.slice(x, symStarts, symEnds, axes.values(), steps.values());
        }
        if (!starts.known() || !ends.known() || (axes.given() && !axes.known()) || (steps.given() && !steps.known())
                || starts.values().length != ends.values().length) {
            // which axes change is unknown unless axes are known
            if (axes.known()) {
                for (long a : axes.values()) {
                    int k = Shapes.axis(a, x.rank());
                    if (k >= 0) {
                        dims.set(k, Dim.UNKNOWN);
                    }
                }
                return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
            }
            return OpResult.free(Tensor.of(x.dtype(), Shapes.unknownDims(x.rank())));
        }
        int n = starts.values().length;
        boolean pickable = x.values() != null && x.shape().isFullyKnown();
        long[][] index = pickable ? Values.wholeAxes(x.shape().sizes()) : null;
        for (int i = 0; i < n; i++) {
            int k = Shapes.axis(axes.known() ? axes.values()[i] : i, x.rank());
            long step = steps.known() ? steps.values()[i] : 1;
            if (k < 0 || step == 0) {
                return OpResult.builder().output(Tensor.of(x.dtype(), Shapes.unknownDims(x.rank())))
                        .problem("bad slice axis or step").build();
            }
            long s = starts.values()[i];
            long e = ends.values()[i];
            Dim d = x.dim(k);
            if (d instanceof Dim.Fixed f) {
                long len = f.value();
                long[] range = range(s, e, step, len);
                dims.set(k, Dim.of(range[2]));
                if (pickable && range[2] <= Tensor.MAX_VALUES) {
                    long[] at = new long[(int) range[2]];
                    for (int j = 0; j < at.length; j++) {
                        at[j] = range[0] + j * step;
                    }
                    index[k] = at;
                } else {
                    pickable = false;
                }
            } else {
                boolean whole = s == 0 && step == 1 && e >= Integer.MAX_VALUE;
                dims.set(k, whole ? d : SymbolicSlice.length(SymInt.of(s), SymInt.of(e), step, d));
                pickable = false;
            }
        }
        List<SymInt> values = null;
        if (pickable) {
            int[] identity = java.util.stream.IntStream.range(0, x.rank()).toArray();
            values = Values.pick(x, index, identity);
        }
        return OpResult.free(new Tensor(x.dtype(), new Shape(dims), values));
    }

    /** ONNX Slice clamping: {start, end, length} for one axis of size len. */
    static long[] range(long s, long e, long step, long len) {
        if (s < 0) {
            s = Math.max(s + len, Long.MIN_VALUE / 2);
        }
        if (e < 0) {
            e = Math.max(e + len, Long.MIN_VALUE / 2);
        }
        long count;
        if (step > 0) {
            s = Math.max(0, Math.min(s, len));
            e = Math.max(0, Math.min(e, len));
            count = e > s ? ConvMath.ceilDiv(e - s, step) : 0;
        } else {
            s = Math.max(0, Math.min(s, len - 1));
            e = Math.max(-1, Math.min(e, len - 1));
            count = s > e ? ConvMath.ceilDiv(s - e, -step) : 0;
        }
        return new long[] {s, e, count};
    }
}
