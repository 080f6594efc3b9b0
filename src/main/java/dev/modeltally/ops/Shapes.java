package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.ElementCountOverflowException;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;

/** Shape helpers shared by the rules: broadcasting, axes, element counts. */
public final class Shapes {

    private Shapes() {
    }

    /** The element count; unknown when some dim is not fixed or the count overflows. */
    public static Count elements(Shape s) {
        try {
            return Count.of(s.elementCount());
        } catch (ElementCountOverflowException e) {
            return Count.UNKNOWN;
        }
    }

    /**
     * Multidirectional (numpy) broadcasting of several shapes. Rank unknown anywhere gives rank
     * unknown. {@code problems} receives a line for dims that cannot broadcast (two different
     * sizes, neither 1).
     */
    public static Shape broadcast(List<Shape> shapes, List<String> problems) {
        int rank = 0;
        for (Shape s : shapes) {
            if (!s.rankKnown()) {
                return Shape.unknownRank();
            }
            rank = Math.max(rank, s.rank());
        }
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            Dim acc = null;
            for (Shape s : shapes) {
                int k = i - (rank - s.rank());
                if (k < 0) {
                    continue;
                }
                Dim d = s.dim(k);
                acc = acc == null ? d : broadcastDim(acc, d, problems);
            }
            out.add(acc == null ? Dim.of(1) : acc);
        }
        return new Shape(out);
    }

    public static Shape broadcast(Shape a, Shape b, List<String> problems) {
        return broadcast(List.of(a, b), problems);
    }

    static Dim broadcastDim(Dim a, Dim b, List<String> problems) {
        if (a.equals(b)) {
            return a;
        }
        if (DimMath.isOne(a)) {
            return b;
        }
        if (DimMath.isOne(b)) {
            return a;
        }
        if (a instanceof Dim.Fixed && b instanceof Dim.Fixed) {
            if (problems != null) {
                problems.add("cannot broadcast dims " + a + " and " + b);
            }
            return Dim.UNKNOWN;
        }
        // A fixed size other than 1 decides: the other must equal it (or be 1, which broadcasts to it).
        if (a instanceof Dim.Fixed) {
            return a;
        }
        if (b instanceof Dim.Fixed) {
            return b;
        }
        if (isMinWithConstant(a, b)) {
            return a;
        }
        if (isMinWithConstant(b, a)) {
            return b;
        }
        if (a instanceof Dim.Symbolic && b instanceof Dim.Symbolic) {
            return symbolicBroadcast(a.expr(), b.expr());
        }
        return Dim.UNKNOWN;
    }

    /**
     * Two different symbolic sizes broadcast where they are equal or one is 1 (elsewhere the model does
     * not run): the larger, except that an empty axis (0) against 1 stays empty. So
     * {@code max(a, b)·min(1, a, b)}, or {@code max(a, b)} when neither can be 0 (an upsampled
     * feature {@code 2*floor((H + 31)/32)} added to a lateral one {@code floor((H + 15)/16)}).
     */
    private static Dim symbolicBroadcast(dev.modeltally.ir.Expr a, dev.modeltally.ir.Expr b) {
        try {
            dev.modeltally.ir.Expr larger;
            dev.modeltally.ir.Expr smaller;
            if (SizeOrder.atLeast(a, b)) {
                larger = a;
                smaller = b;
            } else if (SizeOrder.atLeast(b, a)) {
                larger = b;
                smaller = a;
            } else {
                larger = SymbolicSlice.max(a, b);
                smaller = SymbolicSlice.min(a, b);
            }
            if (smaller.lowerBound() >= 1) {
                return Dim.of(larger);
            }
            // both empty where a common factor min(1, r) is 0: it stays once, in front
            // factors min(1, r) (0 or 1) of the smaller come out of min(1, ·); those the larger has too
            // are already there (m·m = m)
            dev.modeltally.ir.Expr outside = dev.modeltally.ir.Expr.ONE;
            for (dev.modeltally.ir.Expr m = SizeOrder.indicator(smaller); m != null; m = SizeOrder.indicator(smaller)) {
                smaller = smaller.exactDiv(m);
                if (larger.exactDiv(m) == null) {
                    outside = outside.times(m);
                }
            }
            if (smaller.lowerBound() >= 1) {
                return Dim.of(larger.times(outside));
            }
            dev.modeltally.ir.Expr nonEmpty = SymbolicSlice.min(dev.modeltally.ir.Expr.ONE, smaller).times(outside);
            return Dim.of(larger.times(nonEmpty));
        } catch (ArithmeticException e) {
            return Dim.UNKNOWN;
        }
    }

    /**
     * True when {@code b} is {@code min(a, c)} for a constant {@code c >= 1} (a position table cut to
     * the sequence, {@code min(seq, 512)}): where both broadcast, they are equal or {@code a} is 1 and so
     * is {@code b}, so the broadcast size is {@code a} at every point where the model runs.
     */
    static boolean isMinWithConstant(Dim a, Dim b) {
        dev.modeltally.ir.Expr[] m = b.expr() == null ? null : b.expr().minMaxOperands(false);
        if (m == null || a.expr() == null) {
            return false;
        }
        for (int i = 0; i < 2; i++) {
            if (m[i].equals(a.expr()) && m[1 - i].isConstant() && m[1 - i].constantValue() >= 1) {
                return true;
            }
        }
        return false;
    }

    /** Normalises an axis against a rank; -1 when out of range or the rank is unknown. */
    public static int axis(long axis, int rank) {
        if (rank < 0) {
            return -1;
        }
        long a = axis < 0 ? axis + rank : axis;
        return a < 0 || a >= rank ? -1 : (int) a;
    }

    /** The dims {@code from} (inclusive) to {@code to} (exclusive). */
    public static List<Dim> dims(Shape s, int from, int to) {
        return new ArrayList<>(s.dims().subList(from, to));
    }

    public static Shape unknownDims(int rank) {
        List<Dim> dims = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            dims.add(Dim.UNKNOWN);
        }
        return new Shape(dims);
    }

    /** Shape from a list of tracked values used as dims (Reshape/Expand targets etc.). */
    public static List<Dim> fromValues(List<SymInt> values) {
        List<Dim> out = new ArrayList<>(values.size());
        for (SymInt v : values) {
            out.add(v.toDim());
        }
        return out;
    }

    /** A shape from sizes where a negative size (a broken attribute) becomes Unknown. */
    public static Shape ofSizes(long[] sizes) {
        List<Dim> dims = new ArrayList<>(sizes.length);
        for (long v : sizes) {
            dims.add(v >= 0 ? Dim.of(v) : Dim.UNKNOWN);
        }
        return new Shape(dims);
    }

    /** The product of fixed sizes; unknown when one is not fixed or it overflows. */
    public static Count product(List<Dim> dims) {
        return Count.product(dims);
    }
}
