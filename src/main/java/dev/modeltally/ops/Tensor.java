package dev.modeltally.ops;

import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.ValueType;
import java.util.List;

/**
 * What shape inference knows about one tensor: its element type, its shape, and for small tensors
 * that carry shapes, axes or scales, their values ({@code values}, row-major, null when not tracked).
 * A sequence, map or optional carries its {@code type} (null for a plain tensor): a sequence has
 * shape {@code [length]} and, when its length is known, its elements in {@code items}; an optional
 * has its element (or none) in {@code items}; a map has shape {@code []}.
 */
public record Tensor(DType dtype, Shape shape, List<SymInt> values, ValueType type, List<Tensor> items) {

    /** Most elements whose values are tracked; bigger tensors carry only their shape. */
    public static final int MAX_VALUES = 1024;

    public static final Tensor UNKNOWN = new Tensor(DType.UNDEFINED, Shape.unknownRank(), null);

    public Tensor {
        dtype = dtype == null ? DType.UNDEFINED : dtype;
        shape = shape == null ? Shape.unknownRank() : shape;
        values = values == null || values.size() > MAX_VALUES ? null : List.copyOf(values);
        items = items == null || items.size() > MAX_VALUES ? null : List.copyOf(items);
    }

    public Tensor(DType dtype, Shape shape, List<SymInt> values) {
        this(dtype, shape, values, null, null);
    }

    /**
     * As the record's own (every component), written out: the formula's caches hash thousands of
     * tensors, and an enum's identity hash is a native call where its ordinal is a field.
     */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Tensor t && dtype == t.dtype && shape.equals(t.shape)
                && java.util.Objects.equals(values, t.values) && java.util.Objects.equals(type, t.type)
                && java.util.Objects.equals(items, t.items));
    }

    @Override
    public int hashCode() {
        int h = dtype.ordinal();
        h = 31 * h + shape.hashCode();
        h = 31 * h + (values == null ? 0 : values.hashCode());
        h = 31 * h + (type == null ? 0 : type.hashCode());
        return 31 * h + (items == null ? 0 : items.hashCode());
    }

    /** A sequence of {@code length} elements of {@code element}'s type; {@code items} the elements when known. */
    public static Tensor sequence(ValueType element, Dim length, List<Tensor> items) {
        return new Tensor(DType.UNDEFINED, new Shape(List.of(length)), null, new ValueType.SequenceType(element),
                items);
    }

    /** A sequence whose elements are all known. */
    public static Tensor sequence(ValueType element, List<Tensor> items) {
        return sequence(element, Dim.of(items.size()), items);
    }

    /** A map, an optional or another container with no tracked contents. */
    public static Tensor container(ValueType type) {
        return new Tensor(DType.UNDEFINED, Shape.scalar(), null, type, null);
    }

    /** This tensor's type as a container element. */
    public ValueType asElement() {
        return type != null ? type : new ValueType.TensorType(dtype, shape);
    }

    /** A tensor (or container) of a container element type. */
    public static Tensor ofType(ValueType t) {
        if (t instanceof ValueType.TensorType tt) {
            return of(tt.dtype(), tt.shape());
        }
        return t instanceof ValueType.SequenceType s ? sequence(s.element(), Dim.UNKNOWN, null) : container(t);
    }

    public boolean isSequence() {
        return type instanceof ValueType.SequenceType;
    }

    /** The element type of a sequence or optional, or null. */
    public ValueType elementType() {
        if (type instanceof ValueType.SequenceType s) {
            return s.element();
        }
        return type instanceof ValueType.OptionalType o ? o.element() : null;
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
        return new Tensor(dtype, shape, v, type, items);
    }

    public Tensor withShape(Shape s) {
        return new Tensor(dtype, s, null);
    }

    public Tensor withDtype(DType t) {
        return new Tensor(t, shape, values, type, items);
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

    /** The element count; unknown when not fully known (or overflowing). */
    public Count elements() {
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
        if (type != null) {
            return type + shape.toString();
        }
        return dtype + shape.toString() + (values == null ? "" : "=" + values);
    }
}
