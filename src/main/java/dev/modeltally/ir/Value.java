package dev.modeltally.ir;

import java.util.Objects;

/**
 * A named value flowing through a graph (graph input/output or intermediate), with what is known of
 * it. A plain tensor has {@code type == null}; a sequence, map or optional has its {@link ValueType}
 * (then {@code dtype} is UNDEFINED, and {@code shape} is {@code [length]} for a sequence, {@code []}
 * otherwise).
 */
public record Value(String name, DType dtype, Shape shape, ValueType type) {
    public Value {
        Objects.requireNonNull(name, "name");
        dtype = dtype == null ? DType.UNDEFINED : dtype;
        shape = shape == null ? Shape.unknownRank() : shape;
    }

    public Value(String name, DType dtype, Shape shape) {
        this(name, dtype, shape, null);
    }

    /**
     * As the record's own (every component), written out: a record's generated equals and hashCode
     * are linked through method handles on first use, milliseconds of every short run (issue 15).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Value v && name.equals(v.name) && dtype == v.dtype && shape.equals(v.shape)
                && Objects.equals(type, v.type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, shape, type);
    }

    /** What a user reads as the type: {@code FLOAT} for a tensor, {@code seq(map(int64, float))} for a container. */
    public String typeName() {
        return type == null ? dtype.name() : type.toString();
    }
}
