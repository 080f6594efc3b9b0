package dev.modeltally.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader found in a model file.
 *
 * @param format         onnx | keras-h5 | keras-weights-h5 | keras-v3
 * @param opsetOrVersion the default-domain opset (ONNX) or the Keras version
 * @param opsets         every imported operator set, domain to version (ONNX); empty for Keras
 * @param metadata       free-form facts from the file (ir_version, metadata_props, backend, ...)
 * @param findings       what the reader itself noticed (missing external data, refused paths, ...)
 * @param hasGraph       false for weights-only files: counts work, compute cannot be estimated
 */
public record Model(String format, String producer, String opsetOrVersion, Map<String, Long> opsets,
                    Graph graph, Map<String, String> metadata, List<Finding> findings, boolean hasGraph) {

    public Model {
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        findings = List.copyOf(findings);
    }
}
