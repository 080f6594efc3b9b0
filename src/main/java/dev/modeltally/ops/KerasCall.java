package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.KerasLayer;
import dev.modeltally.ir.Shape;
import java.util.List;
import java.util.Map;

/**
 * One Keras layer call as a family sees it: its table row, its config, the shapes of its activation
 * inputs (batch first). Attribute reads fall back on the row's defaults.
 */
record KerasCall(String op, KerasLayer row, Attributes attrs, List<Shape> in, List<DType> types) {

    KerasCall {
        in = List.copyOf(in);
        types = List.copyOf(types);
    }

    /** A call whose input dtypes do not matter (a wrapper's inner layer, a cell). */
    KerasCall(String op, KerasLayer row, Attributes attrs, List<Shape> in) {
        this(op, row, attrs, in, List.of());
    }

    /** True when the first input is known to be floating point. */
    boolean floatInput() {
        return !types.isEmpty() && types.get(0).kind() == DType.Kind.FLOATING;
    }

    Shape x() {
        return in.isEmpty() ? Shape.unknownRank() : in.get(0);
    }

    Object attr(String key) {
        return row.attr(attrs.values(), key);
    }

    long num(String key, long fallback) {
        return attr(key) instanceof Number n ? n.longValue() : fallback;
    }

    boolean flag(String key, boolean fallback) {
        return attr(key) instanceof Boolean b ? b : fallback;
    }

    String text(String key, String fallback) {
        return attr(key) instanceof String s ? s : fallback;
    }

    /** n values from an int-or-list attribute (kernel_size: 3 or [3, 3]); -1 where it says nothing. */
    long[] tuple(String key, int n, long fallback) {
        return KerasDims.tuple(attrs, key, n, fallback);
    }

    /** The spatial rank of a 1D/2D/3D class. */
    int spatialRank() {
        String c = row.className();
        return c.contains("1D") ? 1 : c.contains("2D") ? 2 : c.contains("3D") ? 3 : 0;
    }

    boolean channelsFirst() {
        return "channels_first".equals(text("data_format", "channels_last"));
    }

    /** Size of dim i of shape s (negative i from the end) for counting; unknown when not fixed. */
    static Count count(Shape s, int i) {
        if (!s.rankKnown() || s.rank() == 0) {
            return Count.UNKNOWN;
        }
        int j = i < 0 ? s.rank() + i : i;
        return j < 0 || j >= s.rank() ? Count.UNKNOWN : Count.of(s.dim(j));
    }

    /** Size of dim i of shape s as a size for the table's weight dims, or -1 (an unknown dim there). */
    static long size(Shape s, int i) {
        return count(s, i).orElse(-1);
    }

    static Dim dim(long v) {
        return v < 0 ? Dim.UNKNOWN : Dim.of(v);
    }

    @SuppressWarnings("unchecked")
    static Attributes config(Object entry) {
        return entry instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c
                ? new Attributes((Map<String, Object>) c) : null;
    }

    static String className(Object entry) {
        return entry instanceof Map<?, ?> m && m.get("class_name") instanceof String s ? s : null;
    }
}
