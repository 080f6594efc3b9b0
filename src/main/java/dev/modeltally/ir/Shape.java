package dev.modeltally.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A tensor shape. {@code dims == null} means even the rank is unknown; otherwise each dim is
 * Fixed, Symbolic or Unknown.
 */
public record Shape(List<Dim> dims) {

    private static final Shape UNKNOWN_RANK = new Shape(null);
    private static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = dims == null ? null : List.copyOf(dims);
    }

    public static Shape unknownRank() {
        return UNKNOWN_RANK;
    }

    public static Shape scalar() {
        return SCALAR;
    }

    public static Shape of(long... sizes) {
        List<Dim> ds = new ArrayList<>(sizes.length);
        for (long s : sizes) {
            ds.add(Dim.of(s));
        }
        return new Shape(ds);
    }

    public boolean rankKnown() {
        return dims != null;
    }

    public int rank() {
        if (dims == null) {
            throw new IllegalStateException("rank unknown");
        }
        return dims.size();
    }

    public Dim dim(int i) {
        return dims.get(i);
    }

    /** True when the rank is known and every dimension is Fixed. */
    public boolean isFullyKnown() {
        if (dims == null) {
            return false;
        }
        for (Dim d : dims) {
            if (!d.isFixed()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number of elements, or empty when some dimension is not fixed.
     *
     * @throws ElementCountOverflowException when the product does not fit in a long
     */
    public OptionalLong elementCount() {
        if (!isFullyKnown()) {
            return OptionalLong.empty();
        }
        long n = 1;
        for (Dim d : dims) {
            try {
                n = Math.multiplyExact(n, ((Dim.Fixed) d).value());
            } catch (ArithmeticException e) {
                throw new ElementCountOverflowException(this);
            }
        }
        return OptionalLong.of(n);
    }

    /** Sizes of a fully known shape. */
    public long[] sizes() {
        if (!isFullyKnown()) {
            throw new IllegalStateException("shape not fully known: " + this);
        }
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Dim.Fixed) dims.get(i)).value();
        }
        return out;
    }

    @Override
    public String toString() {
        if (dims == null) {
            return "[?...]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims.get(i));
        }
        return sb.append(']').toString();
    }

    /**
     * As the record's own (every component), written out: a record's generated equals and hashCode
     * are linked through method handles on first use, milliseconds of every short run (issue 15).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && java.util.Objects.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(dims);
    }
}
