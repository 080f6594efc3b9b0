package dev.modeltally.format;

/**
 * Bounds on the work a reader does for one file, so that a hostile file cannot make it hang or run
 * out of memory. Exceeding one is a {@link CorruptModelException} naming the limit and the option
 * that raises it.
 */
public record Limits(int maxNodes, int maxSubgraphDepth, int maxStringBytes, int maxRank,
                     int maxJsonDepth, long maxJsonBytes, long maxAttributeBytes, int maxHdf5Objects) {

    public static final Limits DEFAULT = new Limits(
            2_000_000, 64, 1 << 20, 64, 256, 64L << 20, 16L << 20, 1_000_000);

    /** Throws when {@code actual > max}. */
    public static void check(String what, long actual, long max, String option) throws CorruptModelException {
        if (actual > max) {
            throw new CorruptModelException(what + " " + actual + " exceeds the limit " + max
                    + " (raise it with " + option + ")");
        }
    }
}
