package dev.modeltally.ir;

/** One dimension of a shape: a known size, a named symbol (e.g. {@code batch}), or unknown. */
public sealed interface Dim permits Dim.Fixed, Dim.Symbolic, Dim.Unknown {

    record Fixed(long value) implements Dim {
        public Fixed {
            if (value < 0) {
                throw new IllegalArgumentException("negative dimension " + value);
            }
        }

        /**
         * As the record's own (every component), written out: a record's generated equals and hashCode
         * are linked through method handles on first use, milliseconds of every short run (issue 15).
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Fixed f && f.value == value;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(value);
        }

        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A size that is an expression of named symbols: {@code batch}, {@code 12*seq}, {@code floor((H + 1)/2)}. */
    record Symbolic(Expr expr) implements Dim {
        public Symbolic {
            if (expr == null || expr.isConstant()) {
                throw new IllegalArgumentException("a symbolic dim needs a non-constant expression");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o == this || (o instanceof Symbolic s && expr.equals(s.expr));
        }

        @Override
        public int hashCode() {
            return expr.hashCode();
        }

        /** The expression as text (a plain dim name for an input's dim_param). */
        public String name() {
            return expr.toString();
        }

        @Override
        public String toString() {
            return name();
        }
    }

    record Unknown() implements Dim {
        @Override
        public String toString() {
            return "?";
        }
    }

    Unknown UNKNOWN = new Unknown();

    static Dim of(long value) {
        return new Fixed(value);
    }

    /** A named dim (an ONNX dim_param); a name that reads as an expression ({@code 2*s0}) is that expression. */
    static Dim symbol(String name) {
        return new Symbolic(Expr.ofName(name));
    }

    /** A dim of this size: Fixed when constant (Unknown when negative), else Symbolic. Null gives Unknown. */
    static Dim of(Expr e) {
        if (e == null) {
            return UNKNOWN;
        }
        if (e.isConstant()) {
            return e.constantValue() >= 0 ? new Fixed(e.constantValue()) : UNKNOWN;
        }
        return new Symbolic(e);
    }

    /** The size as an expression (a constant when Fixed), or null when unknown. */
    default Expr expr() {
        if (this instanceof Fixed f) {
            return Expr.constant(f.value());
        }
        return this instanceof Symbolic s ? s.expr() : null;
    }

    default boolean isFixed() {
        return this instanceof Fixed;
    }

    /** The fixed size, or -1 when the dimension is symbolic or unknown. */
    default long valueOr(long fallback) {
        return this instanceof Fixed f ? f.value() : fallback;
    }
}
