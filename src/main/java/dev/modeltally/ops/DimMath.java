package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Arithmetic on dimensions that may be symbolic. A symbolic dim is an exact integer expression of
 * the model's symbols ({@link Expr}: {@code batch}, {@code 12*sequence}, {@code floor((H + 1)/2)}),
 * so that Reshape's -1, Flatten, Concat and window arithmetic over symbolic dims still resolve;
 * what cannot be written exactly (a division that does not divide, overflow) becomes Unknown rather
 * than a guess.
 */
public final class DimMath {

    private DimMath() {
    }

    /** Applies {@code f} to both sizes as expressions; Unknown when either is unknown or on overflow. */
    private static Dim apply(Dim a, Dim b, BinaryOperator<Expr> f) {
        Expr x = a.expr();
        Expr y = b.expr();
        if (x == null || y == null) {
            return Dim.UNKNOWN;
        }
        try {
            return Dim.of(f.apply(x, y));
        } catch (ArithmeticException e) {
            return Dim.UNKNOWN;
        }
    }

    public static Dim mul(Dim a, Dim b) {
        if (isZero(a) || isZero(b)) {
            return Dim.of(0);
        }
        return apply(a, b, Expr::times);
    }

    public static Dim product(List<Dim> dims) {
        Dim p = Dim.of(1);
        for (Dim d : dims) {
            p = mul(p, d);
        }
        return p;
    }

    /** a / b when it divides exactly (symbols cancel), else Unknown. */
    public static Dim div(Dim a, Dim b) {
        return apply(a, b, (x, y) -> {
            Expr q = x.exactDiv(y);
            if (q == null) {
                throw new ArithmeticException("not exact");
            }
            return q;
        });
    }

    public static Dim add(Dim a, Dim b) {
        return apply(a, b, Expr::plus);
    }

    /** a - b, Unknown when it may be negative (a negative constant). */
    public static Dim sub(Dim a, Dim b) {
        return apply(a, b, Expr::minus);
    }

    /** a * k + c for integers k, c (Unknown when a constant result is negative). */
    public static Dim affine(Dim a, long k, long c) {
        return apply(a, Dim.of(0), (x, y) -> x.times(k).plus(c));
    }

    /** ⌊a / d⌋ for a positive integer d. */
    public static Dim floorDiv(Dim a, long d) {
        if (d <= 0) {
            return Dim.UNKNOWN;
        }
        return apply(a, Dim.of(0), (x, y) -> Expr.floorDiv(x, d));
    }

    /** ⌈a / d⌉ for a positive integer d. */
    public static Dim ceilDiv(Dim a, long d) {
        if (d <= 0) {
            return Dim.UNKNOWN;
        }
        return apply(a, Dim.of(0), (x, y) -> Expr.ceilDiv(x, d));
    }

    public static Dim min(Dim a, Dim b) {
        return apply(a, b, Expr::min);
    }

    public static Dim max(Dim a, Dim b) {
        return apply(a, b, Expr::max);
    }

    public static Dim sum(List<Dim> dims) {
        Dim s = Dim.of(0);
        for (Dim d : dims) {
            s = add(s, d);
        }
        return s;
    }

    public static boolean isZero(Dim d) {
        return d instanceof Dim.Fixed f && f.value() == 0;
    }

    public static boolean isOne(Dim d) {
        return d instanceof Dim.Fixed f && f.value() == 1;
    }

    /**
     * Two statements about the same dimension: the more specific wins (Fixed over Symbolic over
     * Unknown); two different Fixed sizes, or two different symbols, give Unknown.
     */
    public static Dim unify(Dim a, Dim b) {
        if (a.equals(b)) {
            return a;
        }
        if (a instanceof Dim.Unknown) {
            return b;
        }
        if (b instanceof Dim.Unknown) {
            return a;
        }
        if (a instanceof Dim.Fixed && b instanceof Dim.Symbolic) {
            return a;
        }
        if (b instanceof Dim.Fixed && a instanceof Dim.Symbolic) {
            return b;
        }
        return Dim.UNKNOWN;
    }

    /** True when a and b are known to differ (two different fixed sizes). */
    public static boolean conflict(Dim a, Dim b) {
        return a instanceof Dim.Fixed x && b instanceof Dim.Fixed y && x.value() != y.value();
    }
}
