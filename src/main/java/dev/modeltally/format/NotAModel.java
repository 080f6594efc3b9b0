package dev.modeltally.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names files that are not models modeltally reads but are often found under a model's name: a Git
 * LFS pointer, an HTML or JSON error page saved by a failed download, a PyTorch checkpoint, a
 * safetensors file, a TensorFlow SavedModel or GraphDef, TFLite, GGUF. Each signature is one that
 * an ONNX, HDF5 or zip Keras file cannot start with, so a real model is never taken for one. The
 * message says what the file is and, where the user can fix it, how. Nothing is decoded beyond the
 * head (a pickle is never unpickled).
 */
public final class NotAModel {

    private static final String LFS = "version https://git-lfs.github.com/spec/";
    /** Compiled on first use: nearly every file read is a model, which needs none of them (issue 15). */
    private static final class Patterns {
        static final Pattern LFS_SIZE = Pattern.compile("(?m)^size (\\d+)\\s*$");
        static final Pattern LFS_OID = Pattern.compile("(?m)^oid (\\w+):(\\w{8})\\w*\\s*$");
        static final Pattern TITLE = Pattern.compile("(?is)<title[^>]*>(.*?)</title>");
        static final Pattern JSON_MESSAGE =
                Pattern.compile("\"(?:error|message|detail|msg)\"\\s*:\\s*\"([^\"]{1,80})");
    }

    private NotAModel() {
    }

    /** What the probed file is when it is one of the known non-model kinds. */
    public static Optional<String> identify(Probe probe) {
        ByteBuffer head = probe.head().order(ByteOrder.LITTLE_ENDIAN);
        String name = probe.fileName().toLowerCase(Locale.ROOT);
        String text = asText(head);
        if (text != null) {
            String t = text.stripLeading();
            if (t.startsWith(LFS)) {
                return Optional.of(lfs(t));
            }
            String lower = t.toLowerCase(Locale.ROOT);
            if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.startsWith("<head")
                    || lower.startsWith("<body") || lower.startsWith("<?xml") && lower.contains("<html")) {
                Matcher m = Patterns.TITLE.matcher(t);
                String title = m.find() ? " (title \"" + clip(m.group(1).strip().replaceAll("\\s+", " ")) + "\")" : "";
                return Optional.of("an HTML page" + title + ", not a model: the download probably failed (an error"
                        + " or login page was saved under the model's name); download the file again");
            }
            if (t.startsWith("{") || t.startsWith("[")) {
                return Optional.of(json(t));
            }
        }
        if (name.equals("saved_model.pb") || name.equals("saved_model.pbtxt")) {
            return Optional.of("a TensorFlow SavedModel (" + name + "), not a model file modeltally reads: convert it "
                    + "to ONNX (tf2onnx) or save the Keras model as .keras");
        }
        int size = head.remaining();
        if (size >= 2 && (head.get(0) & 0xff) == 0x80 && head.get(1) >= 2 && head.get(1) <= 5) {
            return Optional.of("a Python pickle (protocol " + head.get(1) + "), probably a PyTorch checkpoint "
                    + "(torch.save): not read, never unpickled; export the model to ONNX (torch.onnx.export)");
        }
        if (probe.isZip()) {
            ZipDirectory zip = probe.zip();
            if (zip != null) {
                Optional<String> torch = torchZip(zip);
                if (torch.isPresent()) {
                    return torch;
                }
            }
        }
        if (size >= 10 && head.get(8) == '{' && head.get(9) == '"') {
            long n = head.getLong(0);
            if (n >= 2 && n <= 100L << 20) {
                return Optional.of("a safetensors file (tensors only, " + n + "-byte JSON header): it has no graph "
                        + "or architecture; modeltally reads ONNX and Keras files");
            }
        }
        if (size >= 8 && Bytes.at(head, 4, "TFL3".getBytes(StandardCharsets.US_ASCII))
                && head.get(2) == 0 && head.get(3) == 0) {
            return Optional.of("a TensorFlow Lite flatbuffer (TFL3), not a model file modeltally reads (ONNX, Keras)");
        }
        if (size >= 8 && Bytes.startsWith(head, "GGUF".getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("a GGUF file (llama.cpp, version " + Integer.toUnsignedLong(head.getInt(4))
                    + "), not a model file modeltally reads (ONNX, Keras)");
        }
        if (graphDef(head)) {
            return Optional.of("a TensorFlow GraphDef (frozen graph protobuf), not an ONNX model: convert it to "
                    + "ONNX (tf2onnx)");
        }
        return Optional.empty();
    }

    /** A folder given as a model: named when it is a SavedModel. */
    public static Optional<String> directory(Path dir) {
        for (String f : new String[] {"saved_model.pb", "saved_model.pbtxt"}) {
            if (Files.isRegularFile(dir.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of("is a directory holding a TensorFlow SavedModel (" + f + "), not a model file "
                        + "modeltally reads: convert it to ONNX (tf2onnx) or save the Keras model as .keras");
            }
        }
        return Optional.empty();
    }

    /** The last resort description of an unrecognised head: text, zeros, or its first bytes. */
    public static String describeBytes(ByteBuffer head) {
        String text = asText(head);
        if (text != null && !text.isBlank()) {
            return "a text file starting \"" + clip(text.strip().lines().findFirst().orElse("")) + "\"";
        }
        boolean zeros = head.remaining() >= 16;
        for (int i = 0; zeros && i < head.remaining(); i++) {
            zeros = head.get(head.position() + i) == 0;
        }
        if (zeros) {
            return "its first " + head.remaining() + " bytes are all zero: a sparse or never-written file?";
        }
        StringBuilder sb = new StringBuilder("starts with");
        for (int i = 0; i < Math.min(8, head.remaining()); i++) {
            sb.append(String.format(" %02x", head.get(head.position() + i) & 0xff));
        }
        return sb.toString();
    }

    private static String lfs(String t) {
        Matcher size = Patterns.LFS_SIZE.matcher(t);
        Matcher oid = Patterns.LFS_OID.matcher(t);
        String of = size.find() ? " to a file of " + String.format(Locale.ROOT, "%,d", Long.parseLong(size.group(1)))
                + " bytes" : "";
        String id = oid.find() ? " (" + oid.group(1) + " " + oid.group(2) + "…)" : "";
        return "a Git LFS pointer" + of + id + ", not the model: the model was never downloaded; run `git lfs pull`"
                + " in its repository (or download the file itself)";
    }

    private static String json(String t) {
        if (t.contains("\"class_name\"") && t.contains("\"config\"")) {
            return "a JSON document that looks like a Keras model config (no weights): give it with --config to the"
                    + " weights file it belongs to";
        }
        Matcher m = Patterns.JSON_MESSAGE.matcher(t);
        String said = m.find() ? " saying \"" + clip(m.group(1)) + "\"" : "";
        return "a JSON document" + said + ", not a model: if it was downloaded, the download probably failed (an "
                + "error response was saved under the model's name); download the file again";
    }

    private static Optional<String> torchZip(ZipDirectory zip) {
        for (String n : zip.names()) {
            if (n.equals("data.pkl") || n.endsWith("/data.pkl")) {
                boolean script = zip.names().stream()
                        .anyMatch(e -> e.endsWith("/constants.pkl") || e.contains("/code/"));
                return Optional.of(script
                        ? "a TorchScript archive (torch.jit.save, " + n + "), not a model file modeltally reads: "
                                + "export the model to ONNX (torch.onnx.export)"
                        : "a PyTorch checkpoint (zip with " + n + ", torch.save): not read, never unpickled; export "
                                + "the model to ONNX (torch.onnx.export)");
            }
        }
        return Optional.empty();
    }

    /** GraphDef: node (field 1) holding a NodeDef whose name (1) and op (2) are short printable strings. */
    private static boolean graphDef(ByteBuffer h) {
        int[] p = {0};
        if (byteAt(h, p) != 0x0a || varint(h, p) < 0 || byteAt(h, p) != 0x0a) {
            return false;
        }
        return printable(h, p) && byteAt(h, p) == 0x12 && printable(h, p);
    }

    private static boolean printable(ByteBuffer h, int[] p) {
        long n = varint(h, p);
        if (n < 1 || n > 256 || p[0] + n > h.remaining()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = byteAt(h, p);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static int byteAt(ByteBuffer h, int[] p) {
        return p[0] < h.remaining() ? h.get(h.position() + p[0]++) & 0xff : -1;
    }

    private static long varint(ByteBuffer h, int[] p) {
        long v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = byteAt(h, p);
            if (b < 0) {
                return -1;
            }
            v |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        return -1;
    }

    /** The head as text when it is (UTF-8, no control bytes but whitespace), else null. */
    private static String asText(ByteBuffer head) {
        int n = head.remaining();
        if (n == 0) {
            return null;
        }
        byte[] b = new byte[n];
        head.duplicate().get(b);
        int start = n >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
        for (int i = start; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' || c == 0x7f) {
                return null;
            }
        }
        return new String(b, start, n - start, StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ");
        return one.length() > 60 ? one.substring(0, 60) + "…" : one;
    }
}
