package dev.modeltally.ops;

import dev.modeltally.ir.Dim;

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

    record Sym(String name) implements SymInt {
        @Override
        public String toString() {
            return name;
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
        return d instanceof Dim.Symbolic s ? new Sym(s.name()) : UNKNOWN;
    }

    /** As a dimension: a non-negative integer, a symbol, or Unknown (negative numbers, reals, unknown). */
    default Dim toDim() {
        if (this instanceof Known k) {
            return k.value() >= 0 ? Dim.of(k.value()) : Dim.UNKNOWN;
        }
        return this instanceof Sym s ? Dim.symbol(s.name()) : Dim.UNKNOWN;
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
