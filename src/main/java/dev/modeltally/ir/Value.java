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

    /** What a user reads as the type: {@code FLOAT} for a tensor, {@code seq(map(int64, float))} for a container. */
    public String typeName() {
        return type == null ? dtype.name() : type.toString();
    }
}
