package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.testing.KerasFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layouts met on held-out Keras 3.15 models (QA of issue 11), reduced to the layers that went wrong,
 * in the form Keras writes them.
 */
class KerasHeldOutTest {

    @TempDir
    Path tmp;

    private static final String T = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": %s, "
            + "\"dtype\": \"%s\", \"keras_history\": [\"%s\", 0, 0]}}";

    private Path keras(String name, String layers, String inputs, String outputs, Map<String, List<int[]>> vars)
            throws Exception {
        String config = """
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "m",
             "trainable": true, "layers": [%s], "input_layers": %s, "output_layers": %s}}
            """.formatted(layers, inputs, outputs);
        Path weights = KerasFiles.v3Weights(tmp.resolve(name + ".weights.h5"), vars);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("metadata.json", "{\"keras_version\": \"3.15.1\"}".getBytes(StandardCharsets.UTF_8));
        entries.put("config.json", config.getBytes(StandardCharsets.UTF_8));
        entries.put("model.weights.h5", Files.readAllBytes(weights));
        return KerasFiles.storedZip(tmp.resolve(name + ".keras"), entries);
    }

    /**
     * Embedding(mask_zero=True) feeding a layer that supports masking and a pooling after it: Keras 3
     * records the mask as keras.ops NotEqual and, when the mask is passed on through a layer that does
     * not change it, as a keras.src.ops.core ConvertToTensor operation. Both are Keras's own; the second
     * used to be reported as a custom class with no rule (a lower bound).
     */
    @Test
    void convertToTensorOfAMaskIsKerasOwnAndFree() throws Exception {
        String layers = """
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 20],
               "dtype": "int32", "name": "ids"}, "name": "ids", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Embedding", "config": {"name": "embedding",
               "input_dim": 100, "output_dim": 16, "mask_zero": true}, "name": "embedding",
               "inbound_nodes": [{"args": [%1$s], "kwargs": {}}]},
              {"module": "keras.src.ops.numpy", "class_name": "NotEqual", "config": {"name": "not_equal"},
               "name": "not_equal", "inbound_nodes": [{"args": [%1$s, 0], "kwargs": {}}]},
              {"module": "keras.src.ops.core", "class_name": "ConvertToTensor", "config": {"name":
               "convert_to_tensor", "dtype": null, "sparse": null, "ragged": null}, "name": "convert_to_tensor",
               "inbound_nodes": [{"args": [%2$s], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "GlobalAveragePooling1D", "config": {"name": "pool"},
               "name": "pool", "inbound_nodes": [{"args": [%3$s], "kwargs": {"mask": %4$s}}]}
            """.formatted(T.formatted("[null, 20]", "int32", "ids"), T.formatted("[null, 20]", "bool", "not_equal"),
                T.formatted("[null, 20, 16]", "float32", "embedding"),
                T.formatted("[null, 20]", "bool", "convert_to_tensor"));
        Path file = keras("mask", layers, "[[\"ids\", 0, 0]]", "[[\"pool\", 0, 0]]",
                new LinkedHashMap<>(Map.of("embedding", List.of(new int[] {100, 16}))));

        Report r = ModelTally.analyze(file, ModelTally.Options.DEFAULT);
        assertTrue(r.findings().stream().noneMatch(f -> f.code().startsWith("keras-")), r.findings().toString());
        assertEquals(Map.of(), r.compute().coverage().opsWithoutRule());
        assertFalse(r.compute().lowerBound());
        assertEquals(1600, r.parameters().total());
        // embedding 20x16 floats, two 20-element BOOL masks (1 byte each), pool 16 floats
        assertEquals(20 * 16 * 4 + 20 + 20 + 16 * 4, r.memory().activationsBytes());
        assertFalse(r.memory().lowerBound());
    }
    /**
     * A layer whose dtype policy is an integer type outputs that type: Hashing (and the lookups in "int"
     * mode) write int64 ids, 8 bytes each; they used to be taken as float32 (4 bytes) in memory.
     */
    @Test
    void integerPolicyIsTheOutputType() throws Exception {
        String layers = """
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 6],
               "dtype": "int32", "name": "cats"}, "name": "cats", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Hashing", "config": {"name": "hashing", "dtype":
               {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "int64"}}, "num_bins": 16,
               "output_mode": "int"}, "name": "hashing", "inbound_nodes": [{"args": [%1$s], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Embedding", "config": {"name": "embedding",
               "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}},
               "input_dim": 16, "output_dim": 4}, "name": "embedding",
               "inbound_nodes": [{"args": [%2$s], "kwargs": {}}]}
            """.formatted(T.formatted("[null, 6]", "int32", "cats"), T.formatted("[null, 6]", "int64", "hashing"));
        Path file = keras("hash", layers, "[[\"cats\", 0, 0]]", "[[\"embedding\", 0, 0]]",
                new LinkedHashMap<>(Map.of("embedding", List.of(new int[] {16, 4}))));

        Report r = ModelTally.analyze(file, ModelTally.Options.DEFAULT);
        assertTrue(r.findings().stream().noneMatch(f -> f.code().startsWith("keras-")), r.findings().toString());
        assertFalse(r.compute().lowerBound());
        // hashing 6 int64 ids, embedding 6x4 floats
        assertEquals(6 * 8 + 6 * 4 * 4, r.memory().activationsBytes());
    }
    /**
     * {@code --config} with a legacy full-model .h5 (the other file model.save writes): its model_config
     * gives the weights-only file its architecture, as a .keras archive does; a weights-only file given
     * as the config is refused in one line.
     */
    @Test
    void legacyH5GivesItsModelConfig() throws Exception {
        String config = """
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "name": "x"}},
              {"class_name": "Dense", "config": {"name": "dense", "units": 4, "trainable": false}},
              {"class_name": "Dense", "config": {"name": "dense_1", "units": 2}}]}}
            """;
        Path full = KerasFiles.legacyH5(tmp.resolve("full.h5"), config, List.of(
                KerasFiles.Layer.of("dense", "dense/kernel:0", new int[] {3, 4}, "dense/bias:0", new int[] {4}),
                KerasFiles.Layer.of("dense_1", "dense_1/kernel:0", new int[] {4, 2}, "dense_1/bias:0",
                        new int[] {2})));
        Path weights = KerasFiles.v3Weights(tmp.resolve("w.weights.h5"), new LinkedHashMap<>(Map.of(
                "dense", List.of(new int[] {3, 4}, new int[] {4}), "dense_1", List.of(new int[] {4, 2}, new int[] {2}))));

        Report r = ModelTally.analyze(weights, ModelTally.Options.DEFAULT.withKerasConfig(full));
        assertEquals(26, r.parameters().total());
        assertEquals(10, r.parameters().trainable(), "the frozen Dense from the config");
        assertEquals(3 * 4 + 4 * 2, r.compute().macs());
        assertTrue(r.findings().stream().anyMatch(f -> f.code().equals("keras-config-supplied")), r.findings().toString());
        assertEquals(full + "!model_config", r.metadata().get("architecture"));

        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> ModelTally.analyze(weights, ModelTally.Options.DEFAULT.withKerasConfig(weights)));
        assertTrue(e.getMessage().contains("without a model_config"), e.getMessage());
    }
}
