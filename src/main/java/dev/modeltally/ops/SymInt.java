package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;

/**
 * One element of a small tensor whose value shape inference tracks (shape vectors, axes, scales):
 * an integer, a real number (float tensors, e.g. Resize scales), a named symbol (a symbolic
 * dimension such as {@code batch}, or a product such as {@code 12*sequence}), or unknown.
 */
public sealed interface SymInt permits SymInt.Known, SymInt.Real, SymInt.Sym, SymInt.Unknown {

    record Known(long value) implements SymInt {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    record Real(double value) implements SymInt {
        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /** An integer that is an expression of symbols (never a constant: that is Known). */
    record Sym(Expr expr) implements SymInt {
        public String name() {
            return expr.toString();
        }

        @Override
        public String toString() {
            return name();
        }
    }

    record Unknown() implements SymInt {
        @Override
        public String toString() {
            return "?";
        }
    }

    Unknown UNKNOWN = new Unknown();

    static SymInt of(long v) {
        return new Known(v);
    }

    static SymInt of(Dim d) {
        if (d instanceof Dim.Fixed f) {
            return new Known(f.value());
        }
        return d instanceof Dim.Symbolic s ? new Sym(s.expr()) : UNKNOWN;
    }

    /** An integer expression: Known when constant, else Sym; null gives Unknown. */
    static SymInt of(Expr e) {
        if (e == null) {
            return UNKNOWN;
        }
        return e.isConstant() ? new Known(e.constantValue()) : new Sym(e);
    }

    /** As an integer expression (a constant when Known), or null for reals and unknowns. */
    default Expr expr() {
        if (this instanceof Known k) {
            return Expr.constant(k.value());
        }
        return this instanceof Sym s ? s.expr() : null;
    }

    /** As a dimension: a non-negative integer, a symbol, or Unknown (negative numbers, reals, unknown). */
    default Dim toDim() {
        if (this instanceof Known k) {
            return k.value() >= 0 ? Dim.of(k.value()) : Dim.UNKNOWN;
        }
        return this instanceof Sym s ? Dim.of(s.expr()) : Dim.UNKNOWN;
    }

    default boolean isKnown() {
        return this instanceof Known;
    }

    /** The integer value, or {@code fallback} when not a known integer. */
    default long longOr(long fallback) {
        return this instanceof Known k ? k.value() : fallback;
    }

    /** The numeric value (integer or real), or NaN. */
    default double number() {
        if (this instanceof Known k) {
            return k.value();
        }
        return this instanceof Real r ? r.value() : Double.NaN;
    }
}
