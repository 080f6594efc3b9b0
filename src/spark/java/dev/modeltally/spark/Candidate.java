package dev.modeltally.spark;

import java.io.Serializable;

/**
 * A file found under the scan's paths: its fully qualified Hadoop path and its size; or, with
 * {@code folder}, a folder named like a model (x.onnx/), which scan reports as an error row.
 */
record Candidate(String path, long size, boolean folder) implements Serializable {

    Candidate(String path, long size) {
        this(path, size, false);
    }
}
