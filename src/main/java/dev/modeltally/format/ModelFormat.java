package dev.modeltally.format;

import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/** One file format: recognise it from content, and read it into the IR (metadata only). */
public interface ModelFormat {

    /** The format id used in reports: onnx, keras-h5, keras-weights-h5, keras-v3. */
    String id();

    /** File name endings this format usually has; only used to break ties between probes. */
    java.util.List<String> extensions();

    /**
     * Looks at the first bytes of a file ({@code head}, up to 4 KiB, position 0) and says whether it is
     * this format. Must not throw for any input.
     */
    Optional<Confidence> probe(Path path, ByteBuffer head);

    Model read(Path path, Limits limits) throws IOException, ModelReadException;

    /**
     * Reads the file with an architecture supplied from elsewhere ({@code --config}), for formats
     * that store weights without one. Formats that carry their own architecture read the file as
     * usual and say, with a finding, that the supplied one was not used.
     */
    default Model read(Path path, Limits limits, Path architecture) throws IOException, ModelReadException {
        Model m = read(path, limits);
        if (architecture == null) {
            return m;
        }
        java.util.List<Finding> findings = new java.util.ArrayList<>(m.findings());
        findings.add(Finding.info("keras-config-ignored", "--config " + architecture + " was not used: this " + id()
                + " file " + (m.hasGraph() ? "carries its own architecture" : "cannot take a Keras architecture"),
                null));
        return new Model(m.format(), m.producer(), m.opsetOrVersion(), m.opsets(), m.graph(), m.metadata(), findings,
                m.hasGraph());
    }
}
