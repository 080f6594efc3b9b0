package dev.modeltally.ir;

import java.util.Locale;
import java.util.Objects;

/**
 * The type of a value that is not a plain tensor: an ONNX sequence, map or optional (TypeProto's
 * sequence_type, map_type, optional_type). A plain tensor has no ValueType ({@link Value#type()} is
 * null); inside a container, a tensor element is a {@link TensorType}.
 */
public sealed interface ValueType permits ValueType.TensorType, ValueType.SequenceType, ValueType.MapType,
        ValueType.OptionalType {

    /** A tensor inside a container; printed {@code float} for a scalar or unknown shape, else {@code float[2, 3]}. */
    record TensorType(DType dtype, Shape shape) implements ValueType {
        public TensorType {
            dtype = dtype == null ? DType.UNDEFINED : dtype;
            shape = shape == null ? Shape.unknownRank() : shape;
        }

        @Override
        public String toString() {
            String t = dtype.name().toLowerCase(Locale.ROOT);
            return shape.rankKnown() && shape.rank() > 0 ? t + shape : t;
        }
    }

    /** {@code seq(element)}. */
    record SequenceType(ValueType element) implements ValueType {
        public SequenceType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String toString() {
            return "seq(" + element + ")";
        }
    }

    /** {@code map(key, value)}; keys are an integer type or STRING. */
    record MapType(DType key, ValueType value) implements ValueType {
        public MapType {
            key = key == null ? DType.UNDEFINED : key;
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "map(" + key.name().toLowerCase(Locale.ROOT) + ", " + value + ")";
        }
    }

    /** {@code optional(element)}. */
    record OptionalType(ValueType element) implements ValueType {
        public OptionalType {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public String toString() {
            return "optional(" + element + ")";
        }
    }

    static ValueType tensor(DType dtype, Shape shape) {
        return new TensorType(dtype, shape);
    }
}
