package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import java.util.OptionalLong;

/**
 * A count (MACs, FLOPs, the element count of a product of dims, a number of runs) that is either a
 * known non-negative number or unknown. Unknown is its own state, never a number: any unknown factor
 * or term makes a product or sum unknown, and so does an overflow past 2^63 - 1 — never 0 and never a
 * wrapped value. (The IR's own element counts, which cannot depend on ops, throw
 * ElementCountOverflowException instead, and totals of known terms saturate: {@link #saturatingAdd}.)
 */
public final class Count {

    public static final Count UNKNOWN = new Count(-1);
    public static final Count ZERO = new Count(0);
    public static final Count ONE = new Count(1);

    /** The number, or -1 for unknown: private, so that no caller can mistake one for the other. */
    private final long n;

    private Count(long n) {
        this.n = n;
    }

    /** A known count; a negative one is a programming error (a size from a file goes through {@link #ofSize}). */
    public static Count of(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative count " + n);
        }
        return n == 0 ? ZERO : n == 1 ? ONE : new Count(n);
    }

    /** A Dim's size for counting: its value when fixed, else unknown. */
    public static Count of(Dim d) {
        return d instanceof Dim.Fixed f ? of(f.value()) : UNKNOWN;
    }

    /**
     * A size read from a file (an attribute, a config entry) that may be broken or marked unresolved
     * by being negative: unknown then, else that number.
     */
    public static Count ofSize(long n) {
        return n < 0 ? UNKNOWN : of(n);
    }

    /** A size that must be positive (a head or group count): unknown when it is not. */
    public static Count ofPositive(long n) {
        return n > 0 ? of(n) : UNKNOWN;
    }

    /** A count from an optional number: unknown when empty. */
    public static Count of(OptionalLong n) {
        return n.isPresent() ? ofSize(n.getAsLong()) : UNKNOWN;
    }

    public boolean known() {
        return n >= 0;
    }

    /** True when known and equal to {@code v}. */
    public boolean is(long v) {
        return n >= 0 && n == v;
    }

    public boolean isZero() {
        return n == 0;
    }

    /** The number; only when {@link #known()}. */
    public long value() {
        if (n < 0) {
            throw new IllegalStateException("unknown count");
        }
        return n;
    }

    /** The number, or {@code fallback} when unknown. */
    public long orElse(long fallback) {
        return n >= 0 ? n : fallback;
    }

    /** As a dim: fixed at the number, or unknown. */
    public Dim asDim() {
        return n >= 0 ? Dim.of(n) : Dim.UNKNOWN;
    }

    public OptionalLong optional() {
        return n >= 0 ? OptionalLong.of(n) : OptionalLong.empty();
    }

    /** This times {@code c}: unknown when either is unknown or the product overflows. */
    public Count times(Count c) {
        if (n < 0 || c.n < 0) {
            return UNKNOWN;
        }
        try {
            return of(Math.multiplyExact(n, c.n));
        } catch (ArithmeticException e) {
            return UNKNOWN;
        }
    }

    /** This times each factor; a negative factor (a broken size) makes it unknown. */
    public Count times(long... factors) {
        Count p = this;
        for (long f : factors) {
            p = p.times(ofSize(f));
        }
        return p;
    }

    /** This plus {@code c}: unknown when either is unknown or the sum overflows. */
    public Count plus(Count c) {
        if (n < 0 || c.n < 0) {
            return UNKNOWN;
        }
        try {
            return of(Math.addExact(n, c.n));
        } catch (ArithmeticException e) {
            return UNKNOWN;
        }
    }

    public Count plus(long m) {
        return plus(ofSize(m));
    }

    /** This divided by a positive {@code d}, rounded down; unknown when this is unknown or {@code d} is not positive. */
    public Count div(long d) {
        return n < 0 || d <= 0 ? UNKNOWN : of(n / d);
    }

    /** The product of all factors (1 for none). */
    public static Count product(Count... factors) {
        Count p = ONE;
        for (Count f : factors) {
            p = p.times(f);
        }
        return p;
    }

    /** The product of the sizes of dims (1 for none); unknown when one is not fixed or it overflows. */
    public static Count product(Iterable<Dim> dims) {
        Count p = ONE;
        for (Dim d : dims) {
            p = p.times(of(d));
        }
        return p;
    }

    /** The product of the sizes of dims (1 for none); unknown when one is not fixed or it overflows. */
    public static Count product(Dim... dims) {
        return product(java.util.Arrays.asList(dims));
    }

    /** The product of sizes; a negative one (broken or unresolved) makes it unknown. */
    public static Count product(long... sizes) {
        return ONE.times(sizes);
    }

    /** The sum of all terms (0 for none). */
    public static Count sum(Count... terms) {
        Count s = ZERO;
        for (Count t : terms) {
            s = s.plus(t);
        }
        return s;
    }

    /**
     * A count per run times the runs: 0 when either is 0 (a node that never runs costs nothing, even
     * an unknown amount), else as {@link #times(Count)}.
     */
    public static Count perRun(Count perRun, Count runs) {
        return perRun.isZero() || runs.isZero() ? ZERO : perRun.times(runs);
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

    @Override
    public boolean equals(Object o) {
        return o instanceof Count c && c.n == n;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(n);
    }

    /** The number, or "?" when unknown. */
    @Override
    public String toString() {
        return n < 0 ? "?" : Long.toString(n);
    }
}
