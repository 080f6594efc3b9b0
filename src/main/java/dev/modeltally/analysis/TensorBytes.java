package dev.modeltally.analysis;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Shape;

/**
 * The bytes one tensor occupies: ⌈elements × bits / 8⌉, the parameters' rule. The one place that
 * turns a shape into bytes, so that symbolic sizes can later be formulas here and nowhere else.
 */
public final class TensorBytes {

    /** Returned when the size is not known: a dim unresolved, the dtype unknown or variable-size, overflow. */
    public static final long UNKNOWN = -1;

    private TensorBytes() {
    }

    /**
     * The bytes of a dense tensor of this type and shape, or {@link #UNKNOWN}. STRING, UNDEFINED (also
     * what sequences and maps read as) have no fixed element size, so their size is unknown, never 0.
     */
    public static long of(DType dtype, Shape shape) {
        if (dtype == null || dtype.bits() == 0 || shape == null || !shape.isFullyKnown()) {
            return UNKNOWN;
        }
        long elements = 1;
        try {
            for (long d : shape.sizes()) {
                elements = Math.multiplyExact(elements, d);
            }
            return dtype.bytesFor(elements);
        } catch (ArithmeticException e) {
            return UNKNOWN;
        }
    }

    /**
     * The same size as an expression of the symbols (the formula's), or null when a dim is not known
     * or the element size is not fixed. Throws ArithmeticException on overflow.
     */
    public static Expr expr(DType dtype, Shape shape) {
        if (dtype == null || dtype.bits() == 0 || shape == null || !shape.rankKnown()) {
            return null;
        }
        Expr elements = Expr.ONE;
        for (Dim d : shape.dims()) {
            Expr x = d.expr();
            if (x == null) {
                return null;
            }
            elements = elements.times(x);
        }
        int bits = dtype.bits();
        return bits % 8 == 0 ? elements.times(bits / 8) : Expr.ceilDiv(elements.times(bits), 8);
    }
}
