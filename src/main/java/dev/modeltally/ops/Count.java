package dev.modeltally.ops;

/**
 * The overflow-safe arithmetic of counts (MACs, FLOPs, element counts of products of dims), where -1
 * means unknown: any unknown factor (or an overflow past 2^63 - 1) makes the result unknown, never 0
 * and never a wrapped value. (The IR's own element counts, which cannot depend on ops, throw
 * ElementCountOverflowException instead, and totals of known terms saturate: {@link #saturatingAdd}.)
 */
public final class Count {

    public static final long UNKNOWN = -1;

    private Count() {
    }

    public static long mul(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f < 0) {
                return UNKNOWN;
            }
            try {
                p = Math.multiplyExact(p, f);
            } catch (ArithmeticException e) {
                return UNKNOWN;
            }
        }
        return p;
    }

    /**
     * A count per run times the runs: 0 when either is 0 (a node that never runs costs nothing, even
     * an unknown amount), else as {@link #mul}.
     */
    public static long times(long perRun, long runs) {
        return perRun == 0 || runs == 0 ? 0 : mul(perRun, runs);
    }

    public static long add(long... terms) {
        long s = 0;
        for (long t : terms) {
            if (t < 0) {
                return UNKNOWN;
            }
            try {
                s = Math.addExact(s, t);
            } catch (ArithmeticException e) {
                return UNKNOWN;
            }
        }
        return s;
    }

    /**
     * A running total that must never wrap (parameter and byte totals, where every term is known):
     * past 2^63 - 1 it stays at Long.MAX_VALUE (the element-count overflow is reported apart).
     */
    public static long saturatingAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return r < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }

    /** A Dim's size for counting, or -1. */
    public static long of(dev.modeltally.ir.Dim d) {
        return d instanceof dev.modeltally.ir.Dim.Fixed f ? f.value() : UNKNOWN;
    }
}
