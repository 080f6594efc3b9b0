package dev.modeltally.ops;

import dev.modeltally.ir.DType;

/** Reading integer lists that an op takes as an attribute in old opsets and as an input in new ones. */
final class Args {

    /** {@code given} false: neither attribute nor input; {@code values} null: given but not known. */
    record Ints(boolean given, long[] values) {
        static final Ints ABSENT = new Ints(false, null);

        boolean known() {
            return values != null;
        }
    }

    private Args() {
    }

    static Ints ints(OpContext c, String attr, int input) {
        if (input >= 0 && c.present(input)) {
            return new Ints(true, c.input(input).ints());
        }
        if (attr != null && c.attrs().has(attr)) {
            return new Ints(true, c.attrs().getLongs(attr).orElse(null));
        }
        return Ints.ABSENT;
    }

    /**
     * The integer values of an input (or attribute), symbolic ones included: null when absent, not
     * tracked, or holding a real or an unknown.
     */
    static java.util.List<SymInt> symInts(OpContext c, String attr, int input) {
        if (input >= 0 && c.present(input)) {
            java.util.List<SymInt> v = c.input(input).values();
            if (v == null) {
                return null;
            }
            for (SymInt x : v) {
                if (x.expr() == null) {
                    return null;
                }
            }
            return v;
        }
        if (attr != null && c.attrs().has(attr)) {
            long[] v = c.attrs().getLongs(attr).orElse(null);
            return v == null ? null : java.util.Arrays.stream(v).mapToObj(SymInt::of).toList();
        }
        return null;
    }

    /**
     * A scalar integer input (or attribute): its value; {@code fallback} when absent; empty when it is
     * given but its value is not known (or not one integer).
     */
    static java.util.OptionalLong scalar(OpContext c, String attr, int input, long fallback) {
        Ints v = ints(c, attr, input);
        if (!v.given()) {
            return java.util.OptionalLong.of(fallback);
        }
        return v.known() && v.values().length == 1 ? java.util.OptionalLong.of(v.values()[0])
                : java.util.OptionalLong.empty();
    }

    static long[] longs(OpContext c, String attr, int n, long fill) {
        long[] out = c.attrs().getLongs(attr).orElse(null);
        if (out == null || out.length != n) {
            out = new long[n];
            java.util.Arrays.fill(out, fill);
        }
        return out;
    }

    static DType dtypeAttr(OpContext c, String attr, DType fallback) {
        if (c.attrs().get(attr).orElse(null) instanceof String name) { // Cast-1: the type's name ("FLOAT")
            try {
                return DType.valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return fallback;
            }
        }
        long code = c.attrs().getLong(attr, -1);
        return code < 0 ? fallback : DType.fromCode(code);
    }
}
