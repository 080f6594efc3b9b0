package dev.modeltally.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.analysis.Formula;

/** The {@code compute.formula} object: the symbols and each figure as an expression (docs/counting.md). */
final class FormulaJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private FormulaJson() {
    }

    static JsonNode of(Formula f) {
        if (f == null) {
            return F.nullNode();
        }
        ObjectNode o = F.objectNode();
        ArrayNode symbols = o.putArray("symbols");
        for (Formula.Symbol s : f.symbols()) {
            ObjectNode so = symbols.addObject();
            so.put("symbol", s.symbol());
            so.put("input", s.input());
            so.put("dim", s.dim());
            so.put("name", s.name());
        }
        o.put("macs", f.text(f.macs()));
        o.put("flops", f.text(f.flops()));
        o.put("other_flops", f.text(f.otherFlops()));
        o.put("activations_bytes", f.text(f.activationsBytes()));
        o.put("peak_bytes", f.text(f.peakBytes()));
        o.put("partial", f.isPartial());
        ArrayNode nodes = o.putArray("partial_nodes");
        for (Formula.Partial p : f.partial()) {
            ObjectNode po = nodes.addObject();
            po.put("node", p.node());
            po.put("op", p.op());
            po.put("reason", p.reason());
        }
        return o;
    }
}
