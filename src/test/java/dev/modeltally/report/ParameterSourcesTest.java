package dev.modeltally.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ParameterSourcesTest {

    private static Report analyze(String name) throws Exception {
        return ModelTally.analyze(Fixtures.path(name), ModelTally.Options.DEFAULT);
    }

    @Test
    void jsonAndTextSayWhereParametersAreStored() throws Exception {
        Report r = analyze("exporters/paddle_cnn.onnx");
        JsonNode p = JsonReport.toJson(r).get("parameters");
        assertEquals(0, p.get("by_source").get("initializer").asLong());
        assertEquals(r.parameters().total(), p.get("by_source").get("constant_node").asLong());
        assertEquals(0, p.get("by_source").get("attribute").asLong());
        assertEquals(0, p.get("quantization").get("elements").asLong());
        assertEquals(0, p.get("synthesized").get("tensors").asInt());
        String text = TextReport.render(r, 5);
        assertTrue(text.contains("stored in     Constant nodes 1,693"), text);
    }

    @Test
    void quantizationAndSynthesizedLines() throws Exception {
        Report q = analyze("exporters/quant/qdq.onnx");
        JsonNode qp = JsonReport.toJson(q).get("parameters").get("quantization");
        assertEquals(15, qp.get("elements").asLong());
        assertEquals(8, qp.get("int32_bias_elements").asLong());
        assertTrue(TextReport.render(q, 5).contains("quantization  15 scales and zero points in 15 tensors"));
        Report s = analyze("exporters/light_gemm.onnx");
        String text = TextReport.render(s, 5);
        assertTrue(text.contains("synthesized   2,350 elements in 6 weight inputs"), text);
        assertFalse(text.contains("  stored in     "), "no source line for a file with neither Constant-node nor attribute weights");
    }
}
