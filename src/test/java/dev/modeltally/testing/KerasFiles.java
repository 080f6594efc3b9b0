package dev.modeltally.testing;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Builds Keras-shaped files in tests: legacy HDF5 with jhdf's writer, .keras zips re-packed. */
public final class KerasFiles {

    private KerasFiles() {
    }

    /** One layer group of a legacy file: weight name (path below the group) to dims. */
    public record Layer(String name, Map<String, int[]> weights) {
        public static Layer of(String name, Object... nameDims) {
            Map<String, int[]> w = new LinkedHashMap<>();
            for (int i = 0; i < nameDims.length; i += 2) {
                w.put((String) nameDims[i], (int[]) nameDims[i + 1]);
            }
            return new Layer(name, w);
        }
    }

    /**
     * A legacy full-model file as Keras 2 wrote it (fixed-length string attributes): model_config at
     * the root (omitted when null), /model_weights with layer_names and per-layer weight_names.
     */
    public static Path legacyH5(Path file, String modelConfig, List<Layer> layers) {
        try (WritableHdfFile f = HdfFile.write(file)) {
            if (modelConfig != null) {
                f.putAttribute("model_config", modelConfig);
            }
            f.putAttribute("keras_version", "2.15.0");
            f.putAttribute("backend", "tensorflow");
            WritableGroup mw = f.putGroup("model_weights");
            if (!layers.isEmpty()) { // jhdf cannot write an empty string array (Keras writes an empty float array)
                mw.putAttribute("layer_names", layers.stream().map(Layer::name).toArray(String[]::new));
            }
            for (Layer l : layers) {
                WritableGroup g = mw.putGroup(l.name());
                if (!l.weights().isEmpty()) {
                    g.putAttribute("weight_names", l.weights().keySet().toArray(String[]::new));
                }
                for (Map.Entry<String, int[]> w : l.weights().entrySet()) {
                    String[] parts = w.getKey().split("/");
                    WritableGroup at = g;
                    for (int i = 0; i < parts.length - 1; i++) {
                        at = at.getChild(parts[i]) instanceof WritableGroup existing ? existing
                                : at.putGroup(parts[i]);
                    }
                    at.putDataset(parts[parts.length - 1], zeros(w.getValue()));
                }
            }
        }
        return file;
    }

    /**
     * A Keras 3 weights file as Keras before 3.9 wrote it: {@code /layers/<key>/vars/<i>} with no
     * {@code name} attribute, so layers can only be found by Keras's key rule. Keys map to the dims of
     * vars 0, 1, ...; a key may contain slashes for nested groups.
     */
    public static Path v3Weights(Path file, Map<String, List<int[]>> layers) {
        try (WritableHdfFile f = HdfFile.write(file)) {
            WritableGroup root = f.putGroup("layers");
            for (Map.Entry<String, List<int[]>> l : layers.entrySet()) {
                WritableGroup at = root;
                for (String part : l.getKey().split("/")) {
                    at = at.getChild(part) instanceof WritableGroup existing ? existing : at.putGroup(part);
                }
                WritableGroup vars = at.putGroup("vars");
                for (int i = 0; i < l.getValue().size(); i++) {
                    vars.putDataset(Integer.toString(i), zeros(l.getValue().get(i)));
                }
            }
            // No empty /vars group: Keras before 3.9 does not create empty groups (and jhdf 0.13 writes an
            // unreadable file when an empty group follows nested ones).
            f.putGroup("optimizer").putGroup("vars").putDataset("0", new long[] {7});
        }
        return file;
    }

    /** A zip of the given entries, all stored uncompressed (as Keras writes .keras archives). */
    public static Path storedZip(Path dst, Map<String, byte[]> entries) throws IOException {
        try (OutputStream os = Files.newOutputStream(dst); ZipOutputStream out = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(stored(e.getKey(), e.getValue()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return dst;
    }

    private static ZipEntry stored(String name, byte[] data) {
        ZipEntry n = new ZipEntry(name);
        n.setMethod(ZipEntry.STORED);
        n.setSize(data.length);
        n.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        n.setCrc(crc.getValue());
        return n;
    }

    private static Object zeros(int[] dims) {
        return java.lang.reflect.Array.newInstance(float.class, dims);
    }

    /**
     * Copies a zip, replacing entries' bytes ({@code replace}) and compressing those named in
     * {@code deflate} (everything else stored, as Keras writes it).
     */
    public static Path rezip(Path src, Path dst, Map<String, byte[]> replace, Set<String> deflate) throws IOException {
        try (ZipFile in = new ZipFile(src.toFile());
             OutputStream os = Files.newOutputStream(dst);
             ZipOutputStream out = new ZipOutputStream(os)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] data = replace.containsKey(e.getName()) ? replace.get(e.getName())
                        : in.getInputStream(e).readAllBytes();
                ZipEntry n;
                if (deflate.contains(e.getName())) {
                    n = new ZipEntry(e.getName());
                    n.setMethod(ZipEntry.DEFLATED);
                } else {
                    n = stored(e.getName(), data);
                }
                out.putNextEntry(n);
                out.write(data);
                out.closeEntry();
            }
        }
        return dst;
    }
}
