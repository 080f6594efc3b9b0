package dev.modeltally.analysis;

/** Saturating arithmetic for totals: a hostile file must never make a total wrap around. */
final class Counts {

    private Counts() {
    }

    static long add(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return r < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }
}
