package dev.modeltally.format;

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
}
