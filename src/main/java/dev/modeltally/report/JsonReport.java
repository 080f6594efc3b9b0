package dev.modeltally.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Value;
import java.util.List;

import java.util.TreeMap;

/** The JSON contract of design.md: stable snake_case field names, null where unknown, exact numbers. */
public final class JsonReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonReport() {
    }

    public static ObjectNode toJson(Report r) {
        ObjectNode o = F.objectNode();
        o.put("path", r.path());
        o.put("format", r.format());
        o.put("producer", r.producer());
        o.put("opset", r.opset());
        if (r.failed()) {
            o.putNull("parameters");
            o.putNull("constants");
            o.putNull("compute");
            o.set("inputs", F.arrayNode());
            o.set("outputs", F.arrayNode());
            o.set("findings", F.arrayNode());
            ObjectNode err = o.putObject("error");
            err.put("kind", r.error().kind());
            err.put("message", r.error().message());
            return o;
        }
        ObjectNode opsets = o.putObject("opsets");
        r.opsets().forEach(opsets::put);
        ObjectNode p = o.putObject("parameters");
        p.put("total", r.parameters().total());
        p.put("trainable", r.parameters().trainable());
        p.put("non_trainable", r.parameters().nonTrainable());
        p.put("bytes", r.parameters().bytes());
        ObjectNode byDtype = p.putObject("by_dtype");
        new TreeMap<>(r.parameters().byDtype()).forEach(byDtype::put);
        p.put("tensors", r.parameters().tensors());
        ObjectNode c = o.putObject("constants");
        c.put("elements", r.constants().elements());
        c.put("bytes", r.constants().bytes());
        c.put("tensors", r.constants().tensors());
        if (r.compute() == null) {
            o.putNull("compute");
        } else {
            o.set("compute", compute(r.compute()));
        }
        o.set("inputs", values(r.inputs()));
        o.set("outputs", values(r.outputs()));
        ArrayNode nodes = o.putArray("nodes");
        for (NodeParams n : r.nodes()) {
            ObjectNode nn = nodes.addObject();
            nn.put("name", n.name());
            nn.put("op_type", n.opType());
            nn.put("parameters", n.parameters());
            ArrayNode ws = nn.putArray("weights");
            n.weights().forEach(ws::add);
        }
        ArrayNode fs = o.putArray("findings");
        for (Finding f : r.findings()) {
            ObjectNode fo = fs.addObject();
            fo.put("severity", f.severity().label());
            fo.put("code", f.code());
            fo.put("message", f.message());
            fo.put("where", f.where());
        }
        ObjectNode meta = o.putObject("metadata");
        new TreeMap<>(r.metadata()).forEach(meta::put);
        o.put("has_graph", r.hasGraph());
        o.putNull("error");
        return o;
    }

    private static ObjectNode compute(Compute c) {
        ObjectNode o = F.objectNode();
        o.put("macs", c.macs());
        o.put("flops", c.flops());
        o.put("other_flops", c.otherFlops());
        ArrayNode assumed = o.putArray("assumed");
        c.assumed().forEach(assumed::add);
        ObjectNode cov = o.putObject("coverage");
        cov.put("nodes", c.coverage().nodes());
        cov.put("shapes_resolved", c.coverage().shapesResolved());
        ObjectNode without = cov.putObject("ops_without_rule");
        new TreeMap<>(c.coverage().opsWithoutRule()).forEach(without::put);
        return o;
    }

    static ArrayNode values(List<Value> values) {
        ArrayNode a = F.arrayNode();
        for (Value v : values) {
            ObjectNode o = a.addObject();
            o.put("name", v.name());
            o.put("dtype", v.dtype().name());
            if (!v.shape().rankKnown()) {
                o.putNull("shape");
                continue;
            }
            ArrayNode s = o.putArray("shape");
            for (Dim d : v.shape().dims()) {
                if (d instanceof Dim.Fixed f) {
                    // int nodes where the value fits, so the tree equals one parsed back from the text
                    if (f.value() == (int) f.value()) {
                        s.add((int) f.value());
                    } else {
                        s.add(f.value());
                    }
                } else if (d instanceof Dim.Symbolic sym) {
                    s.add(sym.name());
                } else {
                    s.addNull();
                }
            }
        }
        return a;
    }

    /** Pretty-printed, one object. */
    public static String pretty(Report r) {
        try {
            return MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toJson(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line, for JSONL. */
    public static String line(Report r) {
        try {
            return MAPPER.writeValueAsString(toJson(r));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
