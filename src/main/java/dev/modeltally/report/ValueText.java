package dev.modeltally.report;

import dev.modeltally.ir.Value;
import dev.modeltally.ir.ValueType;

/** A value's type and shape as text: {@code FLOAT [1, 3]}, or {@code seq(map(int64, float)), length 1}. */
public final class ValueText {

    private ValueText() {
    }

    public static String describe(Value v) {
        if (v.type() == null) {
            return v.dtype().name() + " " + v.shape();
        }
        String len = length(v);
        return v.type() + (len.isEmpty() ? "" : ", length " + len);
    }

    /** A sequence's length ({@code ?} when unknown); empty for other values. */
    public static String length(Value v) {
        if (!(v.type() instanceof ValueType.SequenceType)) {
            return "";
        }
        return v.shape().rankKnown() && v.shape().rank() == 1 ? v.shape().dim(0).toString() : "?";
    }
}
