package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Model;
import dev.modeltally.ir.Node;
import dev.modeltally.ir.Severity;
import dev.modeltally.ir.Storage;
import dev.modeltally.ir.Weight;
import dev.modeltally.testing.Fixtures;
import dev.modeltally.testing.KerasFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the IR looks like for the Keras structures that matter: nested, shared, frozen, code, mismatch. */
class KerasStructureTest {

    @TempDir
    Path tmp;

    private static Model read(String name) throws Exception {
        return ModelTally.read(Fixtures.path("keras/" + name), Limits.DEFAULT);
    }

    private static Report analyze(String name) throws Exception {
        return ModelTally.analyze(Fixtures.path("keras/" + name), ModelTally.Options.DEFAULT);
    }

    private static Node node(Graph g, String name) {
        return g.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " in " + g.nodes().stream()
                        .map(Node::name).toList()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nested_model.h5", "nested_model.keras", "nested_model.weights.h5"})
    void nestedModelIsANodeWithASubgraph(String file) throws Exception {
        Model m = read(file);
        Node inner = node(m.graph(), "inner");
        assertEquals(1, inner.subgraphs().size());
        Graph sub = inner.subgraphs().get(0);
        assertEquals(List.of("dense", "dense_1"), sub.nodes().stream().map(Node::name).toList());
        assertTrue(sub.weights().isEmpty(), "nested weights live in the top graph, stored once");
        assertEquals(8, m.graph().weights().size());
        for (String w : node(sub, "dense").inputs()) {
            if (m.graph().weights().containsKey(w)) {
                assertTrue(m.graph().weights().get(w).shape().toString().matches("\\[16, 8]|\\[8]"), w);
            }
        }
        assertEquals(454, ModelTally.analyze(Fixtures.path("keras/" + file), ModelTally.Options.DEFAULT)
                .parameters().total());
    }

    @Test
    void nestedModelOutputShapeFlowsThroughTheSubgraph() throws Exception {
        Report r = analyze("nested_model.h5");
        assertEquals("[batch, 2]", r.outputs().get(0).shape().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"shared_layer.h5", "shared_layer.keras"})
    void sharedLayerIsOneNodePerCallWithOneSetOfWeights(String file) throws Exception {
        Model m = read(file);
        Node first = node(m.graph(), "shared_dense");
        Node second = node(m.graph(), "shared_dense:1");
        assertEquals(List.of("left"), first.inputs().subList(0, 1));
        assertEquals(List.of("right"), second.inputs().subList(0, 1));
        assertEquals(first.inputs().subList(1, 3), second.inputs().subList(1, 3));
        assertEquals(List.of("shared_dense:1:0"), second.outputs());
        assertEquals(List.of("shared_dense", "shared_dense:1:0"), node(m.graph(), "concatenate").inputs());
        Report r = analyze(file);
        assertEquals(153, r.parameters().total());
        assertTrue(r.findings().stream().anyMatch(f -> f.code().equals("shared-weight")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"frozen_layer.h5", "frozen_layer.keras"})
    void frozenLayerWeightsAreNonTrainable(String file) throws Exception {
        Model m = read(file);
        for (String w : node(m.graph(), "frozen").inputs()) {
            Weight weight = m.graph().weights().get(w);
            if (weight != null) {
                assertFalse(weight.trainable(), w);
            }
        }
        Report r = analyze(file);
        assertEquals(132, r.parameters().trainable());
        assertEquals(544, r.parameters().nonTrainable());
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch_norm.h5", "batch_norm.keras", "batch_norm.weights.h5", "batch_norm.k2.weights.h5"})
    void batchNormStatisticsAreNonTrainable(String file) throws Exception {
        Model m = read(file);
        List<String> frozen = new ArrayList<>();
        m.graph().weights().values().stream().filter(w -> !w.trainable()).forEach(w -> frozen.add(w.name()));
        assertEquals(2, frozen.size(), frozen.toString());
        assertTrue(frozen.stream().allMatch(n -> n.contains("moving_mean") || n.contains("moving_variance")), frozen
                .toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lambda_layer.h5", "lambda_layer.keras"})
    void lambdaIsReportedAndItsCodeNeverCarried(String file) throws Exception {
        Report r = analyze(file);
        Finding f = r.findings().stream().filter(x -> x.code().equals("keras-lambda")).findFirst().orElseThrow();
        assertEquals(Severity.ERROR, f.severity());
        assertEquals("times_two", f.where());
        assertTrue(f.message().contains("'times_two'") && f.message().contains("not decoded"), f.message());
        Node lambda = node(read(file).graph(), "times_two");
        assertEquals(KerasJson.CODE_PLACEHOLDER, lambda.attrs().values().get("function"));
        assertFalse(lambda.attrs().toString().contains("4wEAAA"), "bytecode must not reach the IR");
        assertEquals(154, r.parameters().total());
    }

    @ParameterizedTest
    @ValueSource(strings = {"custom_layer.h5", "custom_layer.keras"})
    void customClassIsReportedAndItsWeightsCounted(String file) throws Exception {
        Report r = analyze(file);
        Finding f = r.findings().stream().filter(x -> x.code().equals("keras-custom-class")).findFirst().orElseThrow();
        assertEquals("scale", f.where());
        assertTrue(f.message().contains("modeltally>Scale"), f.message());
        assertTrue(r.nodes().stream().anyMatch(n -> n.name().equals("scale") && n.parameters() == 8));
        assertEquals(162, r.parameters().total());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mismatch.h5", "mismatch.keras"})
    void mismatchNamesTheLayerAndBothShapes(String file) throws Exception {
        Report r = analyze(file);
        List<Finding> mismatches = r.findings().stream()
                .filter(x -> x.code().equals("keras-weight-shape-mismatch")).toList();
        assertEquals(1, mismatches.size(), mismatches.toString());
        Finding f = mismatches.get(0);
        assertEquals("dense", f.where());
        assertTrue(f.message().contains("(17, 133)") && f.message().contains("(16, 133)"), f.message());
        assertEquals(2602, r.parameters().total(), "parameters count what is stored");
    }

    @Test
    void layoutOnlyDatasetsAreMarkedUnallocated() throws Exception {
        Model m = read("vgg16.h5");
        Weight w = m.graph().weights().values().iterator().next();
        assertTrue(w.storage() instanceof Storage.Hdf5Dataset d && !d.allocated(), w.toString());
        Model small = read("conv2d.h5");
        Weight s = small.graph().weights().values().iterator().next();
        assertTrue(s.storage() instanceof Storage.Hdf5Dataset d && d.allocated() && d.path().startsWith("/model_weights/"),
                s.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"split_attrs.h5", "split_attrs.k2.weights.h5"})
    void splitLayerNamesAreJoined(String file) throws Exception {
        try (Hdf5 h5 = Hdf5.open(Fixtures.path("keras/" + file), Limits.DEFAULT, new ArrayList<>())) {
            var root = file.endsWith(".k2.weights.h5") ? h5.root() : h5.group(h5.root(), "model_weights").orElseThrow();
            assertFalse(h5.hasAttribute(root, "layer_names"), "the fixture must really be split");
            assertTrue(h5.hasAttribute(root, "layer_names0") && h5.hasAttribute(root, "layer_names1"));
            List<String> names = h5.stringListAttribute(root, "layer_names");
            int offset = file.endsWith(".k2.weights.h5") ? 1 : 1; // the InputLayer comes first in a Functional
            assertEquals(166, names.size());
            assertTrue(names.get(offset).startsWith("layer_000_"), names.get(offset));
            assertTrue(names.get(165).startsWith("layer_164_"), names.get(165));
        }
        assertEquals(990, analyze(file).parameters().total());
    }

    /** A Keras 2 (tf.keras) functional config: inbound_nodes as [layer, node, tensor, kwargs] lists. */
    @Test
    void keras2FunctionalConfigEndToEnd() throws Exception {
        String config = """
            {"class_name": "Functional", "config": {"name": "model", "trainable": true, "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 16], "dtype": "float32",
               "sparse": false, "ragged": false, "name": "left"}, "name": "left", "inbound_nodes": []},
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 16], "dtype": "float32",
               "sparse": false, "ragged": false, "name": "right"}, "name": "right", "inbound_nodes": []},
              {"class_name": "Dense", "config": {"name": "shared", "trainable": true, "dtype": "float32",
               "units": 8, "activation": "relu", "use_bias": true}, "name": "shared",
               "inbound_nodes": [[["left", 0, 0, {}]], [["right", 0, 0, {}]]]},
              {"class_name": "Concatenate", "config": {"name": "concatenate", "trainable": true,
               "dtype": "float32", "axis": -1}, "name": "concatenate",
               "inbound_nodes": [[["shared", 0, 0, {}], ["shared", 1, 0, {}]]]},
              {"class_name": "BatchNormalization", "config": {"name": "bn", "trainable": true, "axis": -1},
               "name": "bn", "inbound_nodes": [[["concatenate", 0, 0, {}]]]},
              {"class_name": "Dense", "config": {"name": "score", "trainable": false, "dtype": "float32",
               "units": 1, "activation": "linear", "use_bias": true}, "name": "score",
               "inbound_nodes": [[["bn", 0, 0, {}]]]}],
             "input_layers": [["left", 0, 0], ["right", 0, 0]], "output_layers": [["score", 0, 0]]},
             "keras_version": "2.15.0", "backend": "tensorflow"}
            """;
        Path p = KerasFiles.legacyH5(tmp.resolve("keras2.h5"), config, List.of(
                KerasFiles.Layer.of("left"), KerasFiles.Layer.of("right"),
                KerasFiles.Layer.of("shared", "shared/kernel:0", new int[] {16, 8}, "shared/bias:0", new int[] {8}),
                KerasFiles.Layer.of("concatenate"),
                KerasFiles.Layer.of("bn", "bn/gamma:0", new int[] {16}, "bn/beta:0", new int[] {16},
                        "bn/moving_mean:0", new int[] {16}, "bn/moving_variance:0", new int[] {16}),
                KerasFiles.Layer.of("score", "score/kernel:0", new int[] {16, 1}, "score/bias:0", new int[] {1})));
        Report r = ModelTally.analyze(p, ModelTally.Options.DEFAULT);
        assertEquals("keras-h5", r.format());
        assertEquals("keras 2.15.0 (tensorflow backend)", r.producer());
        assertEquals(136 + 64 + 17, r.parameters().total());
        assertEquals(136 + 32, r.parameters().trainable());
        assertEquals(32 + 17, r.parameters().nonTrainable());
        assertEquals(List.of("left", "right"), r.inputs().stream().map(v -> v.name()).toList());
        assertEquals("[batch, 16]", r.inputs().get(0).shape().toString());
        assertEquals("[batch, 1]", r.outputs().get(0).shape().toString());
        assertTrue(r.findings().stream().noneMatch(f -> f.code().startsWith("keras-")), r.findings().toString());
        Model m = ModelTally.read(p, Limits.DEFAULT);
        assertEquals(List.of("shared", "shared:1:0"), node(m.graph(), "concatenate").inputs());
    }

    @Test
    void keras2MismatchIsFoundThroughPropagatedShapes() throws Exception {
        String config = """
            {"class_name": "Sequential", "config": {"name": "seq", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8, 8, 3], "name": "img"}},
              {"class_name": "Conv2D", "config": {"name": "conv", "filters": 4, "kernel_size": [3, 3],
               "padding": "same", "use_bias": false}},
              {"class_name": "Flatten", "config": {"name": "flat"}},
              {"class_name": "Dense", "config": {"name": "out", "units": 2}}]}}
            """;
        Path p = KerasFiles.legacyH5(tmp.resolve("seq.h5"), config, List.of(
                KerasFiles.Layer.of("conv", "conv/kernel:0", new int[] {3, 3, 3, 4}),
                KerasFiles.Layer.of("flat"),
                KerasFiles.Layer.of("out", "out/kernel:0", new int[] {255, 2}, "out/bias:0", new int[] {2})));
        Report r = ModelTally.analyze(p, ModelTally.Options.DEFAULT);
        Finding f = r.findings().stream().filter(x -> x.code().equals("keras-weight-shape-mismatch")).findFirst()
                .orElseThrow(() -> new AssertionError(r.findings().toString()));
        assertTrue(f.message().contains("(255, 2)") && f.message().contains("(256, 2)"), f.message());
        assertEquals("[batch, 2]", r.outputs().get(0).shape().toString());
    }

    @Test
    void weightsOnlyFilesHaveNoGraphButOneNodePerLayer() throws Exception {
        for (String file : new String[] {"mnist_mlp.weights.h5", "mnist_mlp.k2.weights.h5"}) {
            Report r = analyze(file);
            assertFalse(r.hasGraph(), file);
            assertTrue(r.inputs().isEmpty() && r.outputs().isEmpty(), file);
            Map<String, Long> byNode = new java.util.HashMap<>();
            r.nodes().forEach(n -> byNode.put(n.name(), n.parameters()));
            assertEquals(Map.of("dense", 401_920L, "dense_1", 262_656L, "dense_2", 5_130L), byNode, file);
        }
    }

    /** Before Keras 3.9 vars groups carry no layer name: layers are found by class key and order. */
    @Test
    void keras3KeyRuleWithoutStoredNames() throws Exception {
        String t = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": [null, %d], "
                + "\"dtype\": \"float32\", \"keras_history\": [\"%s\", 0, 0]}}";
        String config = """
            {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "m",
             "trainable": true, "layers": [
              {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 4],
               "dtype": "float32", "name": "x"}, "name": "x", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "stem", "units": 8},
               "name": "stem", "inbound_nodes": [{"args": [%s], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "BatchNormalization", "config": {"name": "bn"},
               "name": "bn", "inbound_nodes": [{"args": [%s], "kwargs": {}}]},
              {"module": "keras.layers", "class_name": "Dense", "config": {"name": "head", "units": 2},
               "name": "head", "inbound_nodes": [{"args": [%s], "kwargs": {}}]}],
             "input_layers": [["x", 0, 0]], "output_layers": [["head", 0, 0]]}}
            """.formatted(t.formatted(4, "x"), t.formatted(8, "stem"), t.formatted(8, "bn"));
        Path weights = KerasFiles.v3Weights(tmp.resolve("model.weights.h5"), new java.util.LinkedHashMap<>(Map.of(
                "dense", List.of(new int[] {4, 8}, new int[] {8}),
                "batch_normalization", List.of(new int[] {8}, new int[] {8}, new int[] {8}, new int[] {8}),
                "dense_1", List.of(new int[] {8, 2}, new int[] {2}))));
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("metadata.json", "{\"keras_version\": \"3.3.3\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        entries.put("config.json", config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        entries.put("model.weights.h5", java.nio.file.Files.readAllBytes(weights));
        Path keras = KerasFiles.storedZip(tmp.resolve("old.keras"), entries);

        Report r = ModelTally.analyze(keras, ModelTally.Options.DEFAULT);
        assertEquals("keras 3.3.3", r.producer());
        Map<String, Long> byNode = new java.util.HashMap<>();
        r.nodes().forEach(n -> byNode.put(n.name(), n.parameters()));
        assertEquals(Map.of("stem", 40L, "bn", 32L, "head", 18L), byNode);
        assertEquals(90, r.parameters().total());
        assertEquals(16, r.parameters().nonTrainable());
        assertTrue(r.findings().stream().noneMatch(f -> f.code().startsWith("keras-")), r.findings().toString());

        Report weightsOnly = ModelTally.analyze(weights, ModelTally.Options.DEFAULT);
        assertEquals("keras-weights-h5", weightsOnly.format());
        assertEquals(90, weightsOnly.parameters().total(), "optimizer/vars is not counted");
        assertEquals(16, weightsOnly.parameters().nonTrainable(), "BN recognised from its key");
    }

    @Test
    void optimizerStateIsNotCounted() throws Exception {
        Model m = read("optimizer_state.weights.h5");
        assertTrue(m.graph().weights().keySet().stream().noneMatch(n -> n.contains("optimizer")));
        assertNotNull(m.metadata().get("layout"));
    }
}
