package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.List;

/**
 * What shape inference knows about one tensor: its element type, its shape, and for small tensors
 * that carry shapes, axes or scales, their values ({@code values}, row-major, null when not tracked).
 */
public record Tensor(DType dtype, Shape shape, List<SymInt> values) {

    /** Most elements whose values are tracked; bigger tensors carry only their shape. */
    public static final int MAX_VALUES = 1024;

    public static final Tensor UNKNOWN = new Tensor(DType.UNDEFINED, Shape.unknownRank(), null);

    public Tensor {
        dtype = dtype == null ? DType.UNDEFINED : dtype;
        shape = shape == null ? Shape.unknownRank() : shape;
        values = values == null || values.size() > MAX_VALUES ? null : List.copyOf(values);
    }

    public static Tensor of(DType dtype, Shape shape) {
        return new Tensor(dtype, shape, null);
    }

    /** A tensor of known values; the shape is {@code [n]} for a vector or {@code []} for a scalar. */
    public static Tensor vector(DType dtype, List<SymInt> values) {
        return new Tensor(dtype, Shape.of(values.size()), values);
    }

    public static Tensor scalar(DType dtype, SymInt value) {
        return new Tensor(dtype, Shape.scalar(), List.of(value));
    }

    public Tensor withValues(List<SymInt> v) {
        return new Tensor(dtype, shape, v);
    }

    public Tensor withShape(Shape s) {
        return new Tensor(dtype, s, null);
    }

    public Tensor withDtype(DType t) {
        return new Tensor(t, shape, values);
    }

    public boolean rankKnown() {
        return shape.rankKnown();
    }

    /** The rank, or -1 when unknown. */
    public int rank() {
        return shape.rankKnown() ? shape.rank() : -1;
    }

    /** Dimension {@code i}, negative counting from the end; Unknown when out of range or rank unknown. */
    public Dim dim(int i) {
        int r = rank();
        int k = i < 0 ? i + r : i;
        return r < 0 || k < 0 || k >= r ? Dim.UNKNOWN : shape.dim(k);
    }

    /** The element count, or -1 when not fully known (or overflowing). */
    public long elements() {
        return Shapes.elements(shape);
    }

    /** True when every value is tracked and known as an integer. */
    public boolean hasKnownInts() {
        if (values == null) {
            return false;
        }
        for (SymInt v : values) {
            if (!(v instanceof SymInt.Known)) {
                return false;
            }
        }
        return true;
    }

    /** The values as integers, or null unless every one is a known integer. */
    public long[] ints() {
        if (!hasKnownInts()) {
            return null;
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((SymInt.Known) values.get(i)).value();
        }
        return out;
    }

    @Override
    public String toString() {
        return dtype + shape.toString() + (values == null ? "" : "=" + values);
    }
}
