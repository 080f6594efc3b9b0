package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Slice over symbolic sizes or symbolic starts and ends: the same clamping as
 * {@link SliceRule#range}, written as an expression. Symbols are sizes (integers >= 0), which lets
 * clamps that always hold drop out ({@code min(seq, 512)} stays, {@code max(0, seq)} is
 * {@code seq}). As in the whole-axis case, a start or end of magnitude {@code >= 2^31 - 1} (the
 * exporters' INT_MAX "to the end") is taken to be beyond any dim; a symbolic start or end whose sign
 * is not the same at every point makes the length Unknown.
 */
final class SymbolicSlice {

    private static final long BEYOND = Integer.MAX_VALUE;

    private SymbolicSlice() {
    }

    static OpResult slice(Tensor x, List<SymInt> starts, List<SymInt> ends, long[] axes, long[] steps) {
        List<Dim> dims = new ArrayList<>(x.shape().dims());
        for (int i = 0; i < starts.size(); i++) {
            int k = Shapes.axis(axes != null && i < axes.length ? axes[i] : i, x.rank());
            long step = steps != null && i < steps.length ? steps[i] : 1;
            if (k < 0 || step == 0 || (axes != null && axes.length != starts.size())
                    || (steps != null && steps.length != starts.size())) {
                return OpResult.builder().output(Tensor.of(x.dtype(), Shapes.unknownDims(x.rank())))
                        .problem("bad slice axis or step").build();
            }
            dims.set(k, length(starts.get(i), ends.get(i), step, x.dim(k)));
        }
        return OpResult.free(Tensor.of(x.dtype(), new Shape(dims)));
    }

    /** The number of elements Slice keeps along an axis of size {@code d}; Unknown when not exact. */
    static Dim length(SymInt start, SymInt end, long step, Dim d) {
        Expr len = d.expr();
        if (len == null || step == 0) {
            return Dim.UNKNOWN;
        }
        try {
            Expr s;
            Expr e;
            Expr count;
            if (step > 0) {
                s = position(start, len, Expr.ZERO, len);
                e = position(end, len, Expr.ZERO, len);
                count = s == null || e == null ? null : e.minus(s);
            } else {
                Expr last = len.minus(Expr.ONE);
                s = position(start, len, Expr.ZERO, last);
                e = position(end, len, Expr.constant(-1), last);
                count = s == null || e == null ? null : s.minus(e);
            }
            if (count == null) {
                return Dim.UNKNOWN;
            }
            long m = Math.abs(step);
            return Dim.of(max(Expr.ZERO, Expr.ceilDiv(count, m)));
        } catch (ArithmeticException ex) {
            return Dim.UNKNOWN;
        }
    }

    /** {@code max(lo, min(p, hi))} for p made non-negative by adding len, as ONNX clamps; null when unknown. */
    private static Expr position(SymInt p, Expr len, Expr lo, Expr hi) {
        Expr at;
        if (p instanceof SymInt.Known k) {
            long c = k.value();
            if (c >= BEYOND && !len.isConstant()) {
                return max(lo, hi);
            }
            if (c <= -BEYOND && !len.isConstant()) {
                return lo;
            }
            at = c < 0 ? len.plus(c) : Expr.constant(c);
        } else {
            at = p.expr();
            if (at == null) {
                return null;
            }
            if (at.lowerBound() < 0) {
                // a negative value counts from the end: only when it is negative at every point (-seq is
                // 0 at seq = 0, which does not)
                if (at.negate().lowerBound() < 1) {
                    return null;
                }
                at = len.plus(at);
            }
        }
        return max(lo, min(at, hi));
    }

    /** min(a, b), deciding it when one is at most the other wherever the symbols are sizes. */
    static Expr min(Expr a, Expr b) {
        if (b.minus(a).lowerBound() >= 0) {
            return a;
        }
        if (a.minus(b).lowerBound() >= 0) {
            return b;
        }
        return Expr.min(a, b);
    }

    static Expr max(Expr a, Expr b) {
        if (a.minus(b).lowerBound() >= 0) {
            return a;
        }
        if (b.minus(a).lowerBound() >= 0) {
            return b;
        }
        return Expr.max(a, b);
    }
}
