package dev.modeltally.format.registry;

import dev.modeltally.format.Bytes;
import dev.modeltally.format.Confidence;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.LocalSource;
import dev.modeltally.format.Match;
import dev.modeltally.format.ModelFormat;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.NotAModel;
import dev.modeltally.format.Probe;
import dev.modeltally.format.Source;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.format.keras.KerasH5Format;
import dev.modeltally.format.keras.KerasV3Format;
import dev.modeltally.format.onnx.OnnxFormat;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one list of formats, and detection by content (the extension only breaks ties). It lives in
 * its own package so that format (the API every reader implements) depends on no reader.
 */
public final class ModelFormats {

    public static final int HEAD_BYTES = Probe.HEAD_BYTES;

    /** Constructing a format does nothing (registration stays cheap for start-up). */
    private static final List<ModelFormat> ALL = List.of(new OnnxFormat(), new KerasH5Format(), new KerasV3Format());

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
        try (Source source = open(path)) {
            return read(source, limits, architecture);
        }
    }

    /** Opens a local model file as a Source: regular files only, a SavedModel folder named as one. */
    public static LocalSource open(Path path) throws IOException, ModelReadException {
        if (Files.isDirectory(path)) {
            Optional<String> what = NotAModel.directory(path);
            if (what.isPresent()) {
                throw new UnsupportedModelException(what.get());
            }
        }
        return LocalSource.open(path);
    }

    /** Detects the format of {@code source} and reads it: the head, zip directory and HDF5 root are read once. */
    public static Model read(Source source, Limits limits, Path architecture) throws IOException, ModelReadException {
        try (Match match = detect(Probe.of(source))) {
            return match.format().read(match, limits, architecture);
        }
    }

    /**
     * Which format a file is, for tools and tests: the returned match is already closed (its id and
     * confidence can be read, it cannot be read from).
     */
    public static Match detect(Path path) throws IOException, ModelReadException {
        try (Source source = open(path); Match m = detect(Probe.of(source))) {
            return m;
        }
    }

    /**
     * The match whose confidence is highest; ties go to the format whose extension matches. Files
     * that are something else (an LFS pointer, an error page, a PyTorch checkpoint, ...) are named.
     * The caller closes the returned match.
     */
    public static Match detect(Probe probe) throws ModelReadException {
        if (probe.head().remaining() == 0) {
            throw new CorruptModelException("empty file");
        }
        Optional<String> other = NotAModel.identify(probe);
        if (other.isPresent()) {
            throw new UnsupportedModelException(other.get());
        }
        List<Match> all = matches(probe);
        Match best = null;
        boolean bestExt = false;
        for (Match m : all) {
            boolean ext = probe.named(m.format().extensions());
            if (best == null || m.confidence().compareTo(best.confidence()) > 0
                    || (m.confidence() == best.confidence() && ext && !bestExt)) {
                best = m;
                bestExt = ext;
            }
        }
        for (Match m : all) {
            if (m != best) {
                m.close();
            }
        }
        if (best == null) {
            throw new UnsupportedModelException("not a recognised model file (" + describe(probe) + ")");
        }
        return best;
    }

    /** Whether some format recognises the file with HIGH confidence (scan keeps such files whatever their name). */
    public static boolean recognisedSurely(Probe probe) {
        if (NotAModel.identify(probe).isPresent()) {
            return false;
        }
        boolean sure = false;
        for (Match m : matches(probe)) {
            sure |= m.confidence() == Confidence.HIGH;
            m.close();
        }
        return sure;
    }

    private static List<Match> matches(Probe probe) {
        List<Match> out = new ArrayList<>();
        for (ModelFormat f : ALL) {
            f.match(probe).ifPresent(out::add);
        }
        return out;
    }

    /** The first bytes of a local file (up to 4 KiB); only regular files are opened. */
    public static ByteBuffer readHead(Path path) throws IOException, ModelReadException {
        try (Source s = LocalSource.open(path)) {
            return Probe.of(s).head();
        }
    }

    private static String describe(Probe probe) {
        ByteBuffer head = probe.head();
        if (Bytes.startsWith(head, new byte[] {(byte) 0x89, 'H', 'D', 'F'})) {
            return "an HDF5 file that is not a Keras model";
        }
        if (probe.isZip()) {
            return "a zip archive that is not a .keras model";
        }
        return NotAModel.describeBytes(head);
    }

    public static boolean startsWith(ByteBuffer head, byte[] magic) {
        return Bytes.startsWith(head, magic);
    }
}
