package dev.modeltally.ops;

/**
 * The cost of one node execution: multiply-accumulates and other FLOPs, each a {@link Count} that may
 * be unknown apart; any unknown term keeps a sum unknown, never 0.
 */
public record Cost(Count macs, Count other) {

    public static final Cost UNKNOWN = new Cost(Count.UNKNOWN, Count.UNKNOWN);
    public static final Cost FREE = new Cost(Count.ZERO, Count.ZERO);

    public Cost {
        macs = macs == null ? Count.UNKNOWN : macs;
        other = other == null ? Count.UNKNOWN : other;
    }

    public static Cost of(Count macs, Count other) {
        return new Cost(macs, other);
    }

    /** Other FLOPs only (elementwise work): 0 MACs, unless the element count is unknown. */
    public static Cost elementwise(Count flops) {
        return flops.known() ? new Cost(Count.ZERO, flops) : UNKNOWN;
    }

    public Cost plus(Cost c) {
        return new Cost(macs.plus(c.macs), other.plus(c.other));
    }

    public Cost times(Count n) {
        return new Cost(n.times(macs), n.times(other));
    }

    /** This times {@code n}; a negative {@code n} (a broken size) makes it unknown. */
    public Cost times(long n) {
        return times(Count.ofSize(n));
    }
}
