package dev.modeltally.format;

import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One file format: recognise a file from what a {@link Probe} read, and read it into the IR
 * (metadata only) from the {@link Match} the recognition returned, so nothing is read twice.
 */
public interface ModelFormat {

    /** The format id used in reports: onnx, keras-h5, keras-weights-h5, keras-v3. */
    String id();

    /** Every id this format's reports can carry (one HDF5 reader gives keras-h5 or keras-weights-h5). */
    default List<String> ids() {
        return List.of(id());
    }

    /** File name endings this format usually has; only used to break ties between matches. */
    List<String> extensions();

    /**
     * Says whether the probed file is this format, and how surely, keeping what it decoded in the
     * returned Match. Must not throw for any input; a file it cannot decode is LOW (read reports why).
     */
    Optional<Match> match(Probe probe);

    /**
     * Reads the matched file. {@code architecture}, when not null, is an architecture supplied from
     * elsewhere ({@code --config}) for formats that store weights without one; formats that carry
     * their own read the file as usual and say so with a finding ({@link #architectureIgnored}).
     */
    Model read(Match match, Limits limits, Path architecture) throws IOException, ModelReadException;

    /** {@code m} plus the finding that a supplied architecture was not used. */
    static Model architectureIgnored(Model m, Path architecture, String id) {
        if (architecture == null) {
            return m;
        }
        List<Finding> findings = new ArrayList<>(m.findings());
        findings.add(Finding.info("keras-config-ignored", "--config " + architecture + " was not used: this " + id
                + " file " + (m.hasGraph() ? "carries its own architecture" : "cannot take a Keras architecture"),
                null));
        return new Model(m.format(), m.producer(), m.opsetOrVersion(), m.opsets(), m.graph(), m.metadata(), findings,
                m.hasGraph());
    }
}
