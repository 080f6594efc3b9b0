package dev.modeltally.ir;

import java.util.Objects;

/** A named tensor flowing through a graph (graph input/output or intermediate), with what is known of it. */
public record Value(String name, DType dtype, Shape shape) {
    public Value {
        Objects.requireNonNull(name, "name");
        dtype = dtype == null ? DType.UNDEFINED : dtype;
        shape = shape == null ? Shape.unknownRank() : shape;
    }
}
