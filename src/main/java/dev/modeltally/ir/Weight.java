package dev.modeltally.ir;

import java.util.List;
import java.util.Objects;

/**
 * A stored tensor, described by metadata only.
 *
 * @param role       where it came from in the file
 * @param trainable  false when the file itself says the weight is frozen (Keras {@code trainable:
 *                   false}, BatchNormalization moving statistics); ONNX files carry no such flag
 * @param intValues  for small integer tensors only (shape vectors, axes), their values, read so that
 *                   shape arithmetic can be folded; null otherwise. Never set for learned weights.
 * @param floatValues for tiny FLOAT/DOUBLE tensors only (Resize scales, scalar constants), their values;
 *                   null otherwise
 */
public record Weight(String name, DType dtype, Shape shape, Role role, boolean trainable, Storage storage,
                     List<Long> intValues, List<Double> floatValues) {

    public enum Role {
        /** ONNX graph initializer. */
        INITIALIZER,
        /** ONNX sparse initializer; {@code shape} is the dense shape. */
        SPARSE_INITIALIZER,
        /** The value of an ONNX Constant node (named by the node's output). */
        CONSTANT_NODE,
        /** A Keras layer variable (kernel, bias, moving_mean, ...). */
        VARIABLE
    }

    public Weight {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(storage, "storage");
        intValues = intValues == null ? null : List.copyOf(intValues);
        floatValues = floatValues == null ? null : List.copyOf(floatValues);
    }

    public Weight(String name, DType dtype, Shape shape, Role role, boolean trainable, Storage storage,
                  List<Long> intValues) {
        this(name, dtype, shape, role, trainable, storage, intValues, null);
    }

    public Weight(String name, DType dtype, Shape shape, Role role, boolean trainable, Storage storage) {
        this(name, dtype, shape, role, trainable, storage, null, null);
    }

    /**
     * As the record's own (every component), written out: a record's generated equals and hashCode
     * are linked through method handles on first use, milliseconds of every short run (issue 15).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Weight w && name.equals(w.name) && dtype == w.dtype && shape.equals(w.shape)
                && role == w.role && trainable == w.trainable && storage.equals(w.storage)
                && Objects.equals(intValues, w.intValues) && Objects.equals(floatValues, w.floatValues);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, shape, role, trainable, storage, intValues, floatValues);
    }
}
