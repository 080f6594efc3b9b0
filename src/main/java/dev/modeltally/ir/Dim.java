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

    record Symbolic(String name) implements Dim {
        @Override
        public String toString() {
            return name;
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

    static Dim symbol(String name) {
        return new Symbolic(name);
    }

    default boolean isFixed() {
        return this instanceof Fixed;
    }

    /** The fixed size, or -1 when the dimension is symbolic or unknown. */
    default long valueOr(long fallback) {
        return this instanceof Fixed f ? f.value() : fallback;
    }
}
