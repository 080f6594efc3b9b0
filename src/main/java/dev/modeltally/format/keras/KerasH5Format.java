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

/** Legacy Keras full-model HDF5 ({@code model.save("m.h5")}): root attribute model_config. */
public final class KerasH5Format implements ModelFormat {

    @Override
    public String id() {
        return "keras-h5";
    }

    @Override
    public List<String> extensions() {
        return List.of(".h5", ".hdf5", ".hdf", ".keras.h5");
    }

    @Override
    public Optional<Confidence> probe(Path path, ByteBuffer head) {
        if (!Hdf5Signature.plausible(path, head)) {
            return Optional.empty();
        }
        return switch (KerasReader.probe(path)) {
            case FULL_MODEL -> Optional.of(Confidence.HIGH);
            case BROKEN -> Optional.of(Confidence.LOW); // read() says what is broken
            default -> Optional.empty();
        };
    }

    @Override
    public Model read(Path path, Limits limits) throws IOException, ModelReadException {
        return KerasReader.readH5(path, limits);
    }
}
