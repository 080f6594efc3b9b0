package dev.modeltally.format.keras;

import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.LocalSource;
import dev.modeltally.format.Source;
import dev.modeltally.format.SourceChannel;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.UnsupportedModelException;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Shape;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Link;
import io.jhdf.api.Node;
import io.jhdf.exceptions.UnsupportedHdfException;
import io.jhdf.links.ExternalLink;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.VariableLength;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Read-only access to the metadata of an HDF5 file through jhdf: groups, attributes, and the shape
 * and type of datasets. No method here reads dataset data. Links are never followed: external and
 * soft links, external raw storage and virtual datasets become findings. Every object visited counts
 * against {@link Limits#maxHdf5Objects()}.
 */
final class Hdf5 implements AutoCloseable {

    /** A dataset's metadata; {@code allocated} is false when it was created but never written. */
    record DatasetInfo(String path, DType dtype, Shape shape, boolean allocated) {
    }

    private final HdfFile file;
    private final AutoCloseable owned;
    private final Limits limits;
    private final List<Finding> findings;
    private final Set<String> reported = new HashSet<>();
    private final Set<Long> counted = new HashSet<>();
    private long objects;

    private Hdf5(HdfFile file, AutoCloseable owned, Limits limits, List<Finding> findings) {
        this.file = file;
        this.owned = owned;
        this.limits = limits;
        this.findings = findings;
    }

    /** Opens a local file (tests and tools): read through a {@link LocalSource}, closed with this. */
    static Hdf5 open(Path path, Limits limits, List<Finding> findings) throws IOException, ModelReadException {
        LocalSource source = LocalSource.open(path);
        try {
            return new Hdf5(openFile(source), source, limits, findings);
        } catch (IOException | ModelReadException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Opens the HDF5 file in {@code source} (closed with this; the source is not). */
    static Hdf5 open(Source source, Limits limits, List<Finding> findings) throws IOException, CorruptModelException {
        HdfFile f = openFile(source);
        return new Hdf5(f, f, limits, findings);
    }

    /** A view of a file opened elsewhere (by a match); closing the view leaves the file open. */
    static Hdf5 over(HdfFile file, Limits limits, List<Finding> findings) {
        return new Hdf5(file, null, limits, findings);
    }

    /**
     * Opens an HDF5 file: memory-mapped when the source can map it, else through a paged channel
     * (jhdf reads headers in small pieces, served from a few 64 KiB pages); dataset data is never
     * read. The superblock records where the file ends; only headers are read here, so a file cut
     * short in its weight bytes would otherwise read fine: a shorter file than recorded is refused
     * as truncated.
     */
    static HdfFile openFile(Source source) throws IOException, CorruptModelException {
        // Mapped where the store can (local files): jhdf slices the map, so no header length it
        // reads makes it allocate; elsewhere it allocates each header buffer (bounded by the heap).
        ByteBuffer map = source.map(0, source.size());
        HdfFile file = map != null ? HdfFile.fromByteBuffer(map)
                : new HdfFile(new SourceChannel(source), URI.create("modeltally:/model.h5"));
        try {
            long recorded = file.getHdfBackingStorage().getSuperblock().getEndOfFileAddress() + file.getUserBlockSize();
            long actual = file.getHdfBackingStorage().size();
            if (recorded > actual) {
                throw new CorruptModelException("truncated HDF5 file: its superblock records " + recorded
                        + " bytes, it has " + actual);
            }
            return file;
        } catch (CorruptModelException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    Group root() {
        return file;
    }

    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                // read-only: nothing to lose on close
            }
        }
    }

    /**
     * The children of a group, without links (reported instead). A group holding a dataset whose
     * bytes live in another file, or a virtual dataset, cannot be listed by jhdf at all: that is
     * reported and the group is taken as empty.
     */
    Map<String, Node> children(Group g) throws ModelReadException {
        Map<String, Node> all;
        try {
            all = g.getChildren();
        } catch (RuntimeException e) {
            String unsupported = unsupportedCause(e);
            if (unsupported == null) {
                throw e;
            }
            String code = unsupported.contains("Virtual") ? "hdf5-virtual-dataset" : "hdf5-external-storage";
            report(Finding.warning(code, "HDF5 group '" + path(g) + "' holds a dataset "
                    + (code.equals("hdf5-virtual-dataset") ? "mapped from other datasets (virtual dataset)"
                    : "whose bytes are in another file (external storage)")
                    + "; never followed, its weights are not counted", path(g)));
            return Map.of();
        }
        if (counted.add(g.getAddress())) { // each group's children count once, however often it is listed
            objects += all.size();
        }
        Limits.check("HDF5 object count", objects, limits.maxHdf5Objects(), "--max-hdf5-objects");
        Map<String, Node> out = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : all.entrySet()) {
            Node n = e.getValue();
            if (n instanceof Link link) {
                // Only Link's own methods are safe here: the Node methods of a link resolve it.
                boolean external = link instanceof ExternalLink;
                String path = g.getPath() + e.getKey();
                report(Finding.warning(external ? "hdf5-external-link" : "hdf5-soft-link",
                        "HDF5 " + (external ? "external" : "soft") + " link '" + path + "' -> '"
                                + link.getTargetPath() + "' is not followed", path));
                continue;
            }
            out.put(e.getKey(), n);
        }
        return out;
    }

    /** Groups are listed more than once (one lookup per weight name): report each thing once. */
    private void report(Finding f) {
        if (reported.add(f.code() + " " + f.where())) {
            findings.add(f);
        }
    }

    /** jhdf ends group paths with a slash; findings name the group without it. */
    private static String path(Group g) {
        String p = g.getPath();
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    Optional<Group> group(Group parent, String name) throws ModelReadException {
        return children(parent).get(name) instanceof Group g ? Optional.of(g) : Optional.empty();
    }

    /** Walks {@code path} (slash-separated) down from {@code g}; empty when any step is missing. */
    Optional<Node> resolve(Group g, String path) throws ModelReadException {
        Node current = g;
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!(current instanceof Group cg)) {
                return Optional.empty();
            }
            current = children(cg).get(part);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    boolean hasAttribute(Node n, String name) {
        return n.getAttributes().containsKey(name);
    }

    Optional<String> stringAttribute(Node n, String name, long maxBytes) throws ModelReadException {
        Attribute a = n.getAttributes().get(name);
        if (a == null) {
            return Optional.empty();
        }
        Object data = data(a, n, maxBytes);
        if (data instanceof String s) {
            return Optional.of(s);
        }
        if (data != null && data.getClass().isArray() && Array.getLength(data) == 1
                && Array.get(data, 0) instanceof String s) {
            return Optional.of(s);
        }
        return Optional.empty();
    }

    /**
     * A list-of-strings attribute such as {@code layer_names}. Keras splits lists too long for an
     * HDF5 object header into {@code name0}, {@code name1}, ... which are joined here in order.
     */
    List<String> stringListAttribute(Node n, String name) throws ModelReadException {
        Map<String, Attribute> attrs = n.getAttributes();
        List<String> out = new ArrayList<>();
        if (attrs.containsKey(name)) {
            addStrings(data(attrs.get(name), n, limits.maxAttributeBytes()), out);
            return out;
        }
        long total = 0;
        for (int i = 0; attrs.containsKey(name + i); i++) {
            Attribute a = attrs.get(name + i);
            total += declaredBytes(a);
            Limits.check("attribute '" + name + "' size in bytes", total, limits.maxAttributeBytes(),
                    "--max-attribute-bytes");
            addStrings(data(a, n, limits.maxAttributeBytes()), out);
        }
        return out;
    }

    private static void addStrings(Object data, List<String> out) {
        if (data instanceof String s) {
            out.add(s);
        } else if (data instanceof String[] arr) {
            out.addAll(List.of(arr));
        }
        // Keras writes an empty list as an empty float64 array: nothing to add.
    }

    private Object data(Attribute a, Node owner, long maxBytes) throws CorruptModelException {
        Limits.check("attribute '" + a.getName() + "' of '" + owner.getPath() + "' size in bytes",
                declaredBytes(a), maxBytes, "--max-attribute-bytes");
        return a.getData();
    }

    /** Bytes an attribute's value takes once read; for variable-length strings, their declared lengths. */
    private long declaredBytes(Attribute a) {
        DataType t = a.getDataType();
        if (!(t instanceof VariableLength)) {
            return a.getSizeInBytes();
        }
        ByteBuffer b = a.getBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long n = a.getSize();
        int stride = t.getSize();
        long total = 0;
        for (long i = 0; i < n; i++) {
            long at = i * stride;
            if (stride < 4 || at + 4 > b.limit()) {
                break;
            }
            total += Integer.toUnsignedLong(b.getInt((int) at));
        }
        return total;
    }

    DatasetInfo dataset(Dataset d) throws CorruptModelException {
        long[] dims = d.getDimensionsAsLong();
        Limits.check("rank of dataset '" + d.getPath() + "'", dims.length, limits.maxRank(), "--max-rank");
        for (long v : dims) {
            if (v < 0) {
                throw new CorruptModelException("dataset '" + d.getPath() + "' has a negative dimension " + v);
            }
        }
        return new DatasetInfo(d.getPath(), Hdf5Types.dtype(d), Shape.of(dims), Hdf5Types.allocated(d));
    }

    /** The message of an UnsupportedHdfException in the cause chain, or null. */
    static String unsupportedCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedHdfException) {
                return String.valueOf(t.getMessage());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** A one-line description of a jhdf failure for a CorruptModelException. */
    static ModelReadException wrap(RuntimeException e, String where) {
        String unsupported = unsupportedCause(e);
        if (unsupported != null) {
            return new UnsupportedModelException(where + ": HDF5 feature not supported: " + unsupported, e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root == e ? String.valueOf(e.getMessage())
                : e.getMessage() + " (" + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
        return new CorruptModelException(where + ": broken HDF5 structure: " + detail, e);
    }
}
