package dev.modeltally.format.keras;

import dev.modeltally.format.Confidence;
import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.Match;
import dev.modeltally.format.ModelFormat;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.Probe;
import dev.modeltally.ir.Model;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keras HDF5 files, both kinds, probed once: the legacy full model ({@code model.save("m.h5")}, root
 * attribute model_config; id keras-h5) and weights only (id keras-weights-h5): Keras 2
 * {@code save_weights} (layer_names at the root), Keras 3 {@code .weights.h5}
 * ({@code /layers/<key>/vars}), and legacy files with model_weights but no model_config. A
 * weights-only file has no architecture: parameters are counted, compute is not estimated, unless
 * one is supplied with {@code --config}. The match keeps the opened file and its layout, so read
 * starts where probing stopped.
 */
public final class KerasH5Format implements ModelFormat {

    static final String FULL = "keras-h5";
    static final String WEIGHTS = "keras-weights-h5";

    /** The HDF5 file opened by probing, its layout, or why it could not be opened. */
    private static final class Hdf5Match extends Match {
        final HdfFile file;
        final KerasReader.Layout layout;
        final Throwable failure;

        Hdf5Match(KerasH5Format f, Confidence c, Probe p, HdfFile file, KerasReader.Layout layout, Throwable failure) {
            super(f, c, p);
            this.file = file;
            this.layout = layout;
            this.failure = failure;
        }

        @Override
        public String id() {
            return layout != null && layout.weightsOnly() || weightsNamed(probe()) && layout == null ? WEIGHTS : FULL;
        }

        @Override
        public void close() {
            if (file != null) {
                file.close();
            }
        }
    }

    @Override
    public String id() {
        return FULL;
    }

    @Override
    public List<String> ids() {
        return List.of(FULL, WEIGHTS);
    }

    @Override
    public List<String> extensions() {
        return List.of(".h5", ".hdf5", ".hdf", ".keras.h5", ".weights.h5", ".weights.hdf5");
    }

    private static boolean weightsNamed(Probe p) {
        return p.named(List.of(".weights.h5", ".weights.hdf5"));
    }

    @Override
    public Optional<Match> match(Probe probe) {
        if (!Hdf5Signature.plausible(probe.fileName(), probe.head())) {
            return Optional.empty();
        }
        HdfFile file;
        try {
            file = Hdf5.openFile(probe.source());
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return Optional.of(new Hdf5Match(this, Confidence.LOW, probe, null, null, e)); // read() says what is broken
        }
        KerasReader.Layout layout;
        try (Hdf5 h5 = Hdf5.over(file, Limits.DEFAULT, new ArrayList<>())) {
            layout = KerasReader.classify(h5);
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            // Classified again by read() with the user's limits; the file stays open for it.
            return Optional.of(new Hdf5Match(this, Confidence.LOW, probe, file, null, null));
        }
        if (layout == KerasReader.Layout.NOT_KERAS) {
            file.close();
            return Optional.empty();
        }
        return Optional.of(new Hdf5Match(this, Confidence.HIGH, probe, file, layout, null));
    }

    @Override
    public Model read(Match match, Limits limits, Path architecture) throws IOException, ModelReadException {
        Hdf5Match m = (Hdf5Match) match;
        if (m.file == null) {
            rethrow(m.failure);
        }
        if (architecture != null && m.layout != null && !m.layout.weightsOnly()) {
            return ModelFormat.architectureIgnored(KerasReader.readH5(m.file, limits, null), architecture, FULL);
        }
        KerasArchitecture arch = architecture == null ? null : KerasArchitecture.load(architecture, limits);
        return KerasReader.readH5(m.file, limits, arch);
    }

    /** The probe's failure to open the file, as reading it would have reported it. */
    private static void rethrow(Throwable t) throws IOException, ModelReadException {
        if (t instanceof ModelReadException e) {
            throw e;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw Hdf5.wrap(e, "HDF5");
        }
        throw t instanceof OutOfMemoryError ? KerasReader.tooLarge("HDF5")
                : new CorruptModelException("HDF5 structure nested too deeply");
    }
}
