package dev.modeltally.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Expr;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exports whose inputs leave sizes free. Keras models with Input(shape=(None, None, 3)) / (None,): the free sizes are symbols
 * ({@code image_d1}, {@code tokens_d1}; the batch stays {@code batch}), every layer's output is an
 * exact expression of them, equal at three points to what Keras computed (free_size_expected.json,
 * from testdata/generate/keras_free_size_fixtures.py) and to modeltally's own run at that point.
 */
class FreeSizeFixturesTest {

    private static final Path DIR = Path.of("testdata/symbolic");

    @Test
    void freeSizesAreSymbolsAndEveryLayerIsExactAtEachPoint() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("free_size_expected.json").toFile());
        for (String model : List.of("free_size_cnn", "free_length_text")) {
            Path file = DIR.resolve(model + ".keras");
            Value input = ModelTally.read(file, Limits.DEFAULT).graph().inputs().get(0);
            Report sym = ModelTally.analyze(file, ModelTally.Options.DEFAULT);
            Map<String, Shape> symbolic = new HashMap<>();
            for (NodeCompute nc : sym.compute().nodes()) {
                Shape s = nc.outputs().get(0).shape();
                assertTrue(s.rankKnown() && s.dims().stream().noneMatch(d -> d instanceof Dim.Unknown),
                        model + " " + nc.name() + " " + s);
                symbolic.put(nc.name(), s);
            }
            String stem = input.name();
            assertEquals("batch", input.shape().dim(0).toString());
            assertEquals(stem + "_d1", input.shape().dim(1).toString());
            for (JsonNode row : expected.get(model)) {
                List<Dim> given = new ArrayList<>();
                Map<String, Long> point = new HashMap<>();
                for (int i = 0; i < row.get("input").size(); i++) {
                    long v = row.get("input").get(i).asLong();
                    given.add(Dim.of(v));
                    if (input.shape().dim(i) instanceof Dim.Symbolic s) {
                        point.put(s.name(), v);
                    }
                }
                Report conc = ModelTally.analyze(file, new ModelTally.Options(Limits.DEFAULT,
                        new AnalysisOptions(Map.of(stem, new Shape(given)), 0)));
                Map<String, Shape> concrete = new HashMap<>();
                conc.compute().nodes().forEach(nc -> concrete.put(nc.name(), nc.outputs().get(0).shape()));
                row.get("layers").fields().forEachRemaining(e -> {
                    Shape s = symbolic.get(e.getKey());
                    List<Long> keras = new ArrayList<>();
                    e.getValue().forEach(v -> keras.add(v.asLong()));
                    List<Long> atPoint = new ArrayList<>();
                    for (Dim d : s.dims()) {
                        Expr x = d.expr();
                        // the symbolic run takes the batch as 1, as the concrete one does
                        atPoint.add(x.eval(n -> n.equals("batch") ? 1L : point.get(n)));
                    }
                    assertEquals(keras, atPoint, model + " " + e.getKey() + " " + s + " at " + point);
                    assertEquals(keras.toString(), concrete.get(e.getKey()).toString(), model + " " + e.getKey());
                });
            }
        }
    }

    /** torch.onnx export with dynamic H, W: every float node output against onnxruntime at four sizes. */
    @Test
    void onnxExportWithDynamicImageSizeMatchesOnnxruntime() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(DIR.resolve("fpn_dyn_expected.json").toFile());
        Report sym = ModelTally.analyze(DIR.resolve("fpn_dyn.onnx"), ModelTally.Options.DEFAULT);
        Map<String, Shape> symbolic = new HashMap<>();
        for (NodeCompute nc : sym.compute().nodes()) {
            Shape s = nc.outputs().get(0).shape();
            assertTrue(s.rankKnown() && s.dims().stream().noneMatch(d -> d instanceof Dim.Unknown),
                    nc.name() + " " + s);
            symbolic.put(nc.name(), s);
        }
        for (JsonNode row : expected.get("fpn_dyn")) {
            Map<String, Long> point = Map.of("batch", 1L, "H", row.get("H").asLong(), "W", row.get("W").asLong());
            int checked = 0;
            for (var it = row.get("nodes").fields(); it.hasNext(); checked++) {
                var e = it.next();
                List<Long> ort = new ArrayList<>();
                e.getValue().forEach(v -> ort.add(v.asLong()));
                List<Long> atPoint = new ArrayList<>();
                symbolic.get(e.getKey()).dims().forEach(d -> atPoint.add(d.expr().eval(point)));
                assertEquals(ort, atPoint, e.getKey() + " " + symbolic.get(e.getKey()) + " at " + point);
            }
            assertTrue(checked >= 20, "nodes checked: " + checked);
        }
    }
}
