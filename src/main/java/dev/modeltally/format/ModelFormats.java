package dev.modeltally.format;

import dev.modeltally.format.keras.KerasH5Format;
import dev.modeltally.format.keras.KerasV3Format;
import dev.modeltally.format.keras.KerasWeightsH5Format;
import dev.modeltally.format.onnx.OnnxFormat;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The one list of formats, and detection by content (the extension only breaks ties). */
public final class ModelFormats {

    public static final int HEAD_BYTES = 4096;

    // Weights-only before full-model HDF5: for a broken file both probe LOW and both extensions match
    // "x.weights.h5", so list order breaks that tie.
    private static final List<ModelFormat> ALL = List.of(new OnnxFormat(), new KerasWeightsH5Format(),
            new KerasH5Format(), new KerasV3Format());

    private ModelFormats() {
    }

    public static List<ModelFormat> all() {
        return ALL;
    }

    /** Detects the format of {@code path} and reads it. */
    public static Model read(Path path, Limits limits) throws IOException, ModelReadException {
        return read(path, limits, null);
    }

    /** Detects the format and reads it with an architecture from elsewhere (null: none); see {@link ModelFormat}. */
    public static Model read(Path path, Limits limits, Path architecture) throws IOException, ModelReadException {
        return detect(path).read(path, limits, architecture);
    }

    /** The format whose probe is most confident; ties go to the one whose extension matches. */
    public static ModelFormat detect(Path path) throws IOException, ModelReadException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw new UnsupportedModelException("is a directory");
        }
        ByteBuffer head = readHead(path);
        if (head.remaining() == 0) {
            throw new CorruptModelException("empty file");
        }
        ModelFormat best = null;
        Confidence bestConfidence = null;
        boolean bestExt = false;
        for (ModelFormat f : ALL) {
            Optional<Confidence> c = f.probe(path, head.duplicate());
            if (c.isEmpty()) {
                continue;
            }
            boolean ext = extensionMatches(path, f);
            if (best == null || c.get().compareTo(bestConfidence) > 0
                    || (c.get() == bestConfidence && ext && !bestExt)) {
                best = f;
                bestConfidence = c.get();
                bestExt = ext;
            }
        }
        if (best == null) {
            throw new UnsupportedModelException("not a recognised model file (" + describe(head) + ")");
        }
        return best;
    }

    /** Formats whose probe accepts the file; used by scan to skip unrelated files quickly. */
    public static List<ModelFormat> candidates(Path path, ByteBuffer head) {
        List<ModelFormat> out = new ArrayList<>();
        for (ModelFormat f : ALL) {
            if (f.probe(path, head.duplicate()).isPresent()) {
                out.add(f);
            }
        }
        return out;
    }

    public static ByteBuffer readHead(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, Math.max(0, ch.size())));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // keep reading until the head is full or the file ends
            }
            return buf.flip();
        }
    }

    private static boolean extensionMatches(Path path, ModelFormat f) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return f.extensions().stream().anyMatch(name::endsWith);
    }

    private static String describe(ByteBuffer head) {
        if (startsWith(head, new byte[] {(byte) 0x89, 'H', 'D', 'F'})) {
            return "an HDF5 file that is not a Keras model";
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4})) {
            return "a zip archive that is not a .keras model";
        }
        StringBuilder sb = new StringBuilder("starts with");
        for (int i = 0; i < Math.min(8, head.remaining()); i++) {
            sb.append(String.format(" %02x", head.get(head.position() + i) & 0xff));
        }
        return sb.toString();
    }

    public static boolean startsWith(ByteBuffer head, byte[] magic) {
        if (head.remaining() < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head.get(head.position() + i) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
