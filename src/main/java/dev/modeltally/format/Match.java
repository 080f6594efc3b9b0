package dev.modeltally.format;

/**
 * A format's answer to a {@link Probe}: how sure it is, and whatever it decoded while deciding
 * (formats subclass Match to keep it), so {@link ModelFormat#read} starts from there instead of
 * probing again. Detection closes every match but the one it returns; the reader closes that one.
 */
public class Match implements AutoCloseable {

    private final ModelFormat format;
    private final Confidence confidence;
    private final Probe probe;

    public Match(ModelFormat format, Confidence confidence, Probe probe) {
        this.format = format;
        this.confidence = confidence;
        this.probe = probe;
    }

    public ModelFormat format() {
        return format;
    }

    public Confidence confidence() {
        return confidence;
    }

    public Probe probe() {
        return probe;
    }

    /** The format id reports will carry (one format class may read files of several ids). */
    public String id() {
        return format.id();
    }

    /** Releases what the match holds open (an HDF5 file); reading after this is not allowed. */
    @Override
    public void close() {
    }
}
