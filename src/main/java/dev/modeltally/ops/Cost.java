package dev.modeltally.ops;

/**
 * The cost of one node execution: multiply-accumulates and other FLOPs, each -1 when unknown
 * ({@link Count#UNKNOWN}); any unknown term keeps a sum unknown, never 0.
 */
public record Cost(long macs, long other) {

    public static final Cost UNKNOWN = new Cost(Count.UNKNOWN, Count.UNKNOWN);
    public static final Cost FREE = new Cost(0, 0);

    public Cost {
        macs = macs < 0 ? Count.UNKNOWN : macs;
        other = other < 0 ? Count.UNKNOWN : other;
    }

    /** Other FLOPs only (elementwise work): 0 MACs, unless the element count is unknown. */
    public static Cost elementwise(long flops) {
        return flops < 0 ? UNKNOWN : new Cost(0, flops);
    }

    public Cost plus(Cost c) {
        return new Cost(Count.add(macs, c.macs), Count.add(other, c.other));
    }

    public Cost times(long n) {
        return new Cost(Count.mul(n, macs), Count.mul(n, other));
    }
}
