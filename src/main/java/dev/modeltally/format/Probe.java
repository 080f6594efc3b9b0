package dev.modeltally.format;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What detection learns about one file, each part read at most once and shared by every format's
 * {@link ModelFormat#match}: the head (first 4 KiB) and, for a zip, its central directory. A format
 * that decodes more (the HDF5 superblock and root group) keeps it in its {@link Match}, which the
 * same format's read takes over. Nothing here is static: a Probe lives for one analysis.
 */
public final class Probe {

    public static final int HEAD_BYTES = 4096;
    /** Keras writes three entries plus assets; PyTorch one per tensor: more than this is no model archive. */
    public static final int MAX_ZIP_ENTRIES = 65_536;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final Source source;
    private final ByteBuffer head;
    private ZipDirectory zip;
    private ModelReadException zipFailure;
    private boolean zipRead;

    private Probe(Source source, ByteBuffer head) {
        this.source = source;
        this.head = head.asReadOnlyBuffer();
    }

    /** Reads the head of {@code source} (one read of up to 4 KiB). */
    public static Probe of(Source source) throws IOException {
        int n = (int) Math.min(HEAD_BYTES, Math.max(0, source.size()));
        return new Probe(source, source.readFully(0, n));
    }

    public Source source() {
        return source;
    }

    /** The file name (last segment), for extension ties and messages. */
    public String fileName() {
        return source.fileName();
    }

    /** The first bytes of the file (up to 4 KiB), positioned at 0; a fresh view each call. */
    public ByteBuffer head() {
        return head.duplicate();
    }

    public boolean startsWith(byte[] magic) {
        return Bytes.startsWith(head, magic);
    }

    public boolean isZip() {
        return startsWith(ZIP_MAGIC);
    }

    /**
     * The zip central directory, read once (null when the file is not a zip or the directory cannot
     * be read; {@link #zipFailure} then says why).
     */
    public ZipDirectory zip() {
        if (!zipRead) {
            zipRead = true;
            if (isZip()) {
                try {
                    zip = ZipDirectory.read(source, MAX_ZIP_ENTRIES);
                } catch (ModelReadException e) {
                    zipFailure = e;
                } catch (IOException | RuntimeException e) {
                    zipFailure = new CorruptModelException("not a readable zip archive: " + e, e);
                }
            }
        }
        return zip;
    }

    /** Why {@link #zip} is null for a zip file, or null. */
    public ModelReadException zipFailure() {
        zip();
        return zipFailure;
    }

    /** Whether the file name ends with one of {@code endings} (case-insensitive). */
    public boolean named(java.util.List<String> endings) {
        String name = fileName().toLowerCase(java.util.Locale.ROOT);
        return endings.stream().anyMatch(name::endsWith);
    }
}
