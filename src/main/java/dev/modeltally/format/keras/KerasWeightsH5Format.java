package dev.modeltally.format.keras;

import dev.modeltally.format.Confidence;
import dev.modeltally.format.Limits;
import dev.modeltally.format.ModelFormat;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.ir.Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Keras weights-only HDF5: Keras 2 {@code save_weights} (layer_names at the root), Keras 3
 * {@code .weights.h5} ({@code /layers/<key>/vars}), and legacy files with model_weights but no
 * model_config. No architecture: parameters are counted, compute is not estimated, unless one is
 * supplied with {@code --config}.
 */
public final class KerasWeightsH5Format implements ModelFormat {

    @Override
    public String id() {
        return "keras-weights-h5";
    }

    @Override
    public List<String> extensions() {
        return List.of(".weights.h5", ".weights.hdf5");
    }

    @Override
    public Optional<Confidence> probe(Path path, ByteBuffer head) {
        if (!Hdf5Signature.plausible(path, head)) {
            return Optional.empty();
        }
        KerasReader.Layout layout = KerasReader.probe(path);
        if (layout.weightsOnly()) {
            return Optional.of(Confidence.HIGH);
        }
        return layout == KerasReader.Layout.BROKEN ? Optional.of(Confidence.LOW) : Optional.empty();
    }

    @Override
    public Model read(Path path, Limits limits) throws IOException, ModelReadException {
        return KerasReader.readH5(path, limits);
    }

    /** With {@code --config}: the weights are read against that architecture, as in a full model. */
    @Override
    public Model read(Path path, Limits limits, Path architecture) throws IOException, ModelReadException {
        if (architecture == null) {
            return read(path, limits);
        }
        return KerasReader.readH5(path, limits, KerasArchitecture.load(architecture, limits));
    }
}
