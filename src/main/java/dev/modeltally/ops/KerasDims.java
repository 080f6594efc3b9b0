package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.KerasWeight;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small readers of Keras configs, and the evaluation of the layer table's weight shapes. */
final class KerasDims {

    /** A size nothing fixes, in the long[] sizes of weight dims (it becomes an unknown Dim). */
    private static final long UNFIXED = -1;

    private KerasDims() {
    }

    /** n values from an int-or-list attribute (kernel_size: 3 or [3, 3]). */
    static long[] tuple(Attributes a, String key, int n, long fallback) {
        long[] v = a.getLongs(key).orElse(new long[] {fallback});
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = v.length == 1 ? v[0] : i < v.length ? v[i] : fallback;
        }
        return out;
    }

    /**
     * A weight's shape from the table's dims ({@code K...,cin/groups,filters}) with the call's config
     * and input sizes. A size nothing fixes is an unknown dim; a tuple that is not known makes the
     * rank unknown (nothing is then checked).
     */
    static Shape shape(KerasWeight w, KerasCall c, Map<String, long[]> sizes) {
        List<Dim> dims = new ArrayList<>();
        for (String term : w.dims()) {
            if (term.endsWith("...")) {
                long[] t = sizes.get(term);
                if (t == null) {
                    return Shape.unknownRank();
                }
                for (long v : t) {
                    dims.add(KerasCall.dim(v));
                }
            } else {
                dims.add(KerasCall.dim(value(term, c, sizes)));
            }
        }
        return new Shape(dims);
    }

    /** {@code a*b/c}, left to right; a quotient that is not exact is unknown. */
    private static long value(String term, KerasCall c, Map<String, long[]> sizes) {
        long acc = 1;
        char op = '*';
        int start = 0;
        for (int i = 0; i <= term.length(); i++) {
            if (i < term.length() && term.charAt(i) != '*' && term.charAt(i) != '/') {
                continue;
            }
            long f = factor(term.substring(start, i), c, sizes);
            if (f < 0 || acc < 0) {
                return UNFIXED;
            }
            if (op == '*') {
                acc = Count.product(acc, f).orElse(UNFIXED);
            } else {
                acc = f == 0 || acc % f != 0 ? UNFIXED : acc / f;
            }
            if (i < term.length()) {
                op = term.charAt(i);
            }
            start = i + 1;
        }
        return acc;
    }

    private static long factor(String name, KerasCall c, Map<String, long[]> sizes) {
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
            try {
                return Long.parseLong(name);
            } catch (NumberFormatException e) {
                return UNFIXED;
            }
        }
        long[] s = sizes.get(name);
        if (s != null) {
            return s.length == 1 ? s[0] : UNFIXED;
        }
        return c.num(name, UNFIXED);
    }

    /** The sizes of a shape's dims, -1 where unknown; null for an unknown rank. */
    static long[] sizesOf(Shape s) {
        if (!s.rankKnown()) {
            return null;
        }
        long[] out = new long[s.rank()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.dim(i).valueOr(UNFIXED);
        }
        return out;
    }
}
