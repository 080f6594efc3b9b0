package dev.modeltally.format.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.format.CorruptModelException;
import dev.modeltally.format.Limits;
import dev.modeltally.format.keras.KerasConfig.LayerSpec;
import dev.modeltally.format.keras.KerasConfig.ModelSpec;
import dev.modeltally.format.keras.KerasConfig.Ref;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Config parsing: both inbound_nodes styles, output forms, nesting bounds, the code scan. */
class KerasConfigTest {

    private static ModelSpec parse(String json) throws CorruptModelException {
        return KerasConfig.parse(KerasJson.parse(json, "config", Limits.DEFAULT), Limits.DEFAULT);
    }

    private static LayerSpec layer(ModelSpec m, String name) {
        return m.layers().stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
    }

    private static String tensor(String layer, int node, int t, String shape) {
        return "{\"class_name\": \"__keras_tensor__\", \"config\": {\"shape\": " + shape
                + ", \"dtype\": \"float32\", \"keras_history\": [\"" + layer + "\", " + node + ", " + t + "]}}";
    }

    @Test
    void keras3InboundNodesFindTensorsInArgsAndKwargs() throws Exception {
        ModelSpec m = parse("""
            {"class_name": "Functional", "config": {"name": "m", "layers": [
              {"class_name": "InputLayer", "config": {"batch_shape": [null, 10, 32], "name": "q"}, "name": "q",
               "inbound_nodes": []},
              {"class_name": "InputLayer", "config": {"batch_shape": [null, 12, 32], "name": "v"}, "name": "v",
               "inbound_nodes": []},
              {"class_name": "MultiHeadAttention", "config": {"name": "mha", "num_heads": 2, "key_dim": 4},
               "name": "mha", "inbound_nodes": [{"args": [%s], "kwargs": {"value": %s, "training": false}}]}],
             "input_layers": [["q", 0, 0], ["v", 0, 0]], "output_layers": ["mha", 0, 0]}}
            """.formatted(tensor("q", 0, 0, "[null, 10, 32]"), tensor("v", 0, 0, "[null, 12, 32]")));
        List<Ref> call = layer(m, "mha").calls().get(0);
        assertEquals(List.of("q", "v"), call.stream().map(Ref::layer).toList());
        assertEquals("[null,12,32]", call.get(1).shape().toString());
        assertEquals(List.of("mha"), m.outputs().stream().map(Ref::layer).toList(), "single output ref form");
        Graph g = KerasGraphBuilder.build(m, new WeightAssignment(), new ArrayList<>(), true);
        assertEquals("[batch, 12, 32]", g.valueInfo().stream().filter(v -> v.name().equals("v")).findFirst()
                .orElseThrow().shape().toString());
    }

    @Test
    void keras2InboundNodesAreListsWithKwargsRefs() throws Exception {
        ModelSpec m = parse("""
            {"class_name": "Model", "config": {"name": "m", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 10, 32], "name": "q"},
               "name": "q", "inbound_nodes": []},
              {"class_name": "Dense", "config": {"name": "proj", "units": 32}, "name": "proj",
               "inbound_nodes": [[["q", 0, 0, {}]]]},
              {"class_name": "MultiHeadAttention", "config": {"name": "mha", "num_heads": 2, "key_dim": 4},
               "name": "mha", "inbound_nodes": [[["q", 0, 0, {"value": ["proj", 0, 0], "training": false}]]]}],
             "input_layers": [["q", 0, 0]], "output_layers": [["mha", 0, 0]]}}
            """);
        assertEquals(List.of("q", "proj"), layer(m, "mha").calls().get(0).stream().map(Ref::layer).toList());
        assertNull(layer(m, "mha").calls().get(0).get(0).shape(), "Keras 2 refs carry no shapes");
        Graph g = KerasGraphBuilder.build(m, new WeightAssignment(), new ArrayList<>(), true);
        assertEquals("[batch, 10, 32]", g.inputs().get(0).shape().toString());
    }

    @Test
    void sequentialWithoutInputLayerTakesTheBuildShape() throws Exception {
        ModelSpec m = parse("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Dense", "config": {"name": "d", "units": 4, "batch_input_shape": [null, 3]}}]}}
            """);
        assertTrue(m.sequential());
        Graph g = KerasGraphBuilder.build(m, new WeightAssignment(), new ArrayList<>(), true);
        assertEquals("input", g.inputs().get(0).name());
        assertEquals("[batch, 3]", g.inputs().get(0).shape().toString());
        assertEquals(List.of("d"), g.outputs().stream().map(v -> v.name()).toList());
    }

    @Test
    void oldSequentialConfigIsAPlainList() throws Exception {
        ModelSpec m = parse("""
            {"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"name": "d", "units": 4}}]}
            """);
        assertEquals(List.of("d"), m.layers().stream().map(LayerSpec::name).toList());
    }

    @Test
    void nestingDepthOfModelsIsBounded() {
        String inner = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"m\", \"layers\": []}}";
        for (int i = 0; i < 80; i++) {
            inner = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"m" + i + "\", \"layers\": [" + inner
                    + "]}}";
        }
        String json = inner;
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> parse(json));
        assertTrue(e.getMessage().contains("nested model depth"), e.getMessage());
    }

    @Test
    void duplicateLayerNamesAreCorrupt() {
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> parse("""
            {"class_name": "Functional", "config": {"name": "m", "layers": [
              {"class_name": "Dense", "config": {"name": "d"}, "name": "d", "inbound_nodes": []},
              {"class_name": "Dense", "config": {"name": "d"}, "name": "d", "inbound_nodes": []}],
             "input_layers": [], "output_layers": []}}
            """));
        assertTrue(e.getMessage().contains("two layers named 'd'"), e.getMessage());
    }

    @Test
    void codeScanFindsLambdasAnywhereAndForeignFunctions() throws Exception {
        ModelSpec m = parse("""
            {"class_name": "Sequential", "config": {"name": "s", "layers": [
              {"class_name": "Dense", "config": {"name": "d", "units": 4,
               "activation": {"class_name": "__lambda__", "config": {"code": "4wEAAA=="}}}},
              {"class_name": "Dense", "config": {"name": "e", "units": 4,
               "activation": {"module": "mypkg.acts", "class_name": "function", "config": "swish2",
                              "registered_name": "function"}}},
              {"class_name": "TFOpLambda", "config": {"name": "tf.math.multiply", "function": "math.multiply"}},
              {"class_name": "Lambda", "config": {"name": "old", "function": ["4wEAAA==", null, null],
               "function_type": "lambda"}},
              {"class_name": "TimeDistributed", "config": {"name": "td", "layer": {"class_name": "MyLayer",
               "config": {"name": "inner"}, "module": "mypkg", "registered_name": "mypkg>MyLayer"}}}]}}
            """);
        List<Finding> f = new ArrayList<>();
        KerasCodeScan.scan(m, f);
        List<String> got = f.stream().map(x -> x.code() + "@" + x.where()).toList();
        assertEquals(List.of("keras-lambda@d", "keras-custom-class@e", "keras-lambda@tf.math.multiply",
                "keras-lambda@old", "keras-custom-class@td/layer"), got, f.toString());
        assertTrue(f.get(2).message().contains("math.multiply"), f.get(2).message());
        Graph g = KerasGraphBuilder.build(m, new WeightAssignment(), new ArrayList<>(), true);
        assertEquals(KerasJson.CODE_PLACEHOLDER, g.nodes().get(3).attrs().values().get("function"));
        assertEquals(KerasJson.CODE_PLACEHOLDER, g.nodes().get(0).attrs().values().get("activation"));
    }

    @Test
    void keyRuleMatchesKeras() {
        assertEquals("conv2d", KerasLayers.snakeCase("Conv2D"));
        assertEquals("batch_normalization", KerasLayers.snakeCase("BatchNormalization"));
        assertEquals("multi_head_attention", KerasLayers.snakeCase("MultiHeadAttention"));
        assertEquals("conv2d_transpose", KerasLayers.snakeCase("Conv2DTranspose"));
        assertEquals("simple_rnn", KerasLayers.snakeCase("SimpleRNN"));
        assertEquals("lstm", KerasLayers.snakeCase("LSTM"));
        assertEquals("BatchNormalization", KerasLayers.classForKey("batch_normalization_12").orElseThrow());
        assertEquals(List.of("gamma", "moving_mean", "moving_variance"),
                KerasLayers.varNames("BatchNormalization", 3, java.util.Map.of("center", false)));
        // an int8-quantized Embedding's second variable is its embeddings_scale; any further one is positional
        assertEquals(List.of("embeddings", "embeddings_scale", "var2"),
                KerasLayers.varNames("Embedding", 3, java.util.Map.of()));
        assertEquals(List.of("embeddings", "var1"), KerasLayers.varNames("Embedding", 2,
                java.util.Map.of("input_dim", 10, "output_dim", 4)));
        assertEquals(List.of("kernel"), KerasLayers.varNames("Dense", 1, java.util.Map.of()));
    }
}
