package dev.modeltally.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modeltally.analysis.Report;
import dev.modeltally.testing.Ir;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest {

    @Test
    void prettyHasEveryNodeAndLinesStayCompact() throws Exception {
        Report r = Ir.graph().input("x", 1, 8).weight("w", 8, 4)
                .node("MatMul", "mm", List.of("x", "w"), List.of("h"))
                .node("Relu", "act", List.of("h"), List.of("y")).output("y").analyze();
        JsonNode full = new ObjectMapper().readTree(JsonReport.pretty(r)).get("compute");
        assertEquals(2, full.get("nodes").size());
        JsonNode mm = full.get("nodes").get(0);
        assertEquals("mm", mm.get("name").asText());
        assertEquals("[1,4]", mm.get("outputs").get(0).get("shape").toString());
        assertEquals(32, mm.get("parameters").asLong());
        assertEquals(32, mm.get("macs").asLong());
        assertEquals(64, mm.get("flops").asLong());
        assertFalse(mm.has("runs"), "runs only when not 1");
        assertEquals(4, full.get("by_op_type").get("Relu").get("other_flops").asLong());
        String line = JsonReport.line(r);
        assertFalse(line.contains("\n"));
        JsonNode compact = new ObjectMapper().readTree(line).get("compute");
        assertFalse(compact.has("nodes"));
        assertTrue(compact.has("by_op_type"));
        assertEquals(32, compact.get("macs").asLong());
    }
}
