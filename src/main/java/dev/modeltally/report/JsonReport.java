package dev.modeltally.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Finding;
import dev.modeltally.ir.Value;
import dev.modeltally.ops.Count;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import java.util.TreeMap;

/** The JSON contract of design.md: stable snake_case field names, null where unknown, exact numbers. */
public final class JsonReport {

    /** Trees are written by a bare generator: an ObjectMapper's serializer machinery costs start-up time. */
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonReport() {
    }

    public static ObjectNode toJson(Report r) {
        return toJson(r, true);
    }

    /**
     * The report object; {@code perNode} false leaves out {@code compute.nodes} (one entry per node,
     * thousands for a transformer), as JSONL scan rows do.
     */
    /** What reading the file took: {@code io {bytes_read, reads}} (null when not measured). */
    private static void putIo(ObjectNode o, Report r) {
        if (r.io() == null) {
            o.putNull("io");
            return;
        }
        ObjectNode io = o.putObject("io");
        io.put("bytes_read", r.io().bytesRead());
        io.put("reads", r.io().reads());
        io.put("bytes_mapped", r.io().bytesMapped());
    }

    public static ObjectNode toJson(Report r, boolean perNode) {
        ObjectNode o = F.objectNode();
        o.put("path", r.path());
        o.put("format", r.format());
        o.put("producer", r.producer());
        o.put("opset", r.opset());
        if (r.failed()) {
            o.putNull("parameters");
            o.putNull("constants");
            o.putNull("compute");
            o.putNull("memory");
            o.set("inputs", F.arrayNode());
            o.set("outputs", F.arrayNode());
            o.set("findings", F.arrayNode());
            ObjectNode err = o.putObject("error");
            err.put("kind", r.error().kind());
            err.put("message", r.error().message());
            putIo(o, r);
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
        ParameterSources.put(p, r.parameters());
        ObjectNode c = o.putObject("constants");
        c.put("elements", r.constants().elements());
        c.put("bytes", r.constants().bytes());
        c.put("tensors", r.constants().tensors());
        if (r.compute() == null) {
            o.putNull("compute");
            o.put("compute_unavailable", r.hasGraph() ? "shape inference did not complete (see findings)"
                    : "the file has no graph (weights only): compute cannot be estimated");
        } else {
            o.set("compute", compute(r.compute(), perNode));
        }
        if (r.memory() == null) {
            o.putNull("memory");
        } else {
            o.set("memory", MemoryJson.memory(r.memory()));
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
        putIo(o, r);
        return o;
    }

    private static ObjectNode compute(Compute c, boolean perNode) {
        ObjectNode o = F.objectNode();
        o.put("macs", c.macs());
        o.put("flops", c.flops());
        o.put("other_flops", c.otherFlops());
        o.put("lower_bound", c.lowerBound());
        if (c.range() != null) { // undecided If branches: the totals above are the minimum
            ObjectNode range = o.putObject("range");
            range(range.putArray("macs"), c.range().macsMin(), c.range().macsMax());
            range(range.putArray("flops"), c.range().flopsMin(), c.range().flopsMax());
            range(range.putArray("other_flops"), c.range().otherMin(), c.range().otherMax());
        } else {
            o.putNull("range");
        }
        o.set("formula", FormulaJson.of(c.formula()));
        ArrayNode assumed = o.putArray("assumed");
        c.assumed().forEach(assumed::add);
        ObjectNode cov = o.putObject("coverage");
        cov.put("nodes", c.coverage().nodes());
        cov.put("shapes_resolved", c.coverage().shapesResolved());
        ObjectNode without = cov.putObject("ops_without_rule");
        new TreeMap<>(c.coverage().opsWithoutRule()).forEach(without::put);
        cov.put("cost_unknown", c.coverage().costUnknown());
        cov.put("not_executed", c.coverage().notExecuted());
        ArrayNode notes = o.putArray("notes");
        c.notes().forEach(notes::add);
        o.set("inputs", values(c.inputs()));
        o.set("outputs", values(c.outputs()));
        ObjectNode byType = o.putObject("by_op_type");
        new TreeMap<>(c.byOpType()).forEach((k, t) -> {
            ObjectNode to = byType.putObject(k);
            to.put("nodes", t.nodes());
            to.put("macs", t.macs());
            to.put("flops", 2 * t.macs());
            to.put("other_flops", t.otherFlops());
            to.put("cost_unknown", t.unknown());
        });
        if (!perNode) {
            return o;
        }
        ArrayNode nodes = o.putArray("nodes");
        for (NodeCompute n : c.nodes()) {
            ObjectNode no = nodes.addObject();
            no.put("name", n.name());
            no.put("op_type", n.opType());
            if (!n.domain().isEmpty()) {
                no.put("domain", n.domain());
            }
            if (!n.graph().isEmpty()) {
                no.put("graph", n.graph());
            }
            no.set("outputs", values(n.outputs()));
            no.set("output_bytes", MemoryJson.outputBytes(n.outputs()));
            no.put("parameters", n.parameters());
            putCount(no, "macs", n.macs());
            putCount(no, "flops", n.macs().times(2));
            putCount(no, "other_flops", n.otherFlops());
            if (!n.runs().is(1)) {
                putCount(no, "runs", n.runs());
            }
            if (!n.hasRule()) {
                no.put("rule", false);
            }
        }
        return o;
    }

    private static void range(ArrayNode a, long min, Count max) {
        a.add(min);
        if (max.known()) {
            a.add(max.value());
        } else {
            a.addNull();
        }
    }

    /** A count, or null when unknown (never 0 for unknown). */
    private static void putCount(ObjectNode o, String field, Count v) {
        if (v.known()) {
            o.put(field, v.value());
        } else {
            o.putNull(field);
        }
    }

    static ArrayNode values(List<Value> values) {
        ArrayNode a = F.arrayNode();
        for (Value v : values) {
            ObjectNode o = a.addObject();
            o.put("name", v.name());
            if (v.type() != null) { // a sequence, map or optional: no tensor dtype or shape of its own
                o.putNull("dtype");
                o.put("type", v.type().toString());
                o.putNull("shape");
                if (v.type() instanceof dev.modeltally.ir.ValueType.SequenceType) {
                    putCount(o, "length", v.shape().rankKnown() && v.shape().rank() == 1 ? Count.of(v.shape().dim(0))
                            : Count.UNKNOWN);
                }
                continue;
            }
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
        return write(toJson(r), true);
    }

    /** One line, for JSONL: the report without the per-node compute list. */
    public static String line(Report r) {
        return write(toJson(r, false), false);
    }

    /** A tree as JSON text, indented as Jackson's default pretty printer does, or on one line. */
    static String write(ObjectNode tree, boolean indent) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (indent) {
                g.useDefaultPrettyPrinter();
            }
            write(g, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, JsonNode node) throws IOException {
        if (node.isObject()) {
            g.writeStartObject();
            for (var field : node.properties()) {
                g.writeFieldName(field.getKey());
                write(g, field.getValue());
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode element : node) {
                write(g, element);
            }
            g.writeEndArray();
        } else if (node.isNull()) {
            g.writeNull();
        } else {
            ((ValueNode) node).serialize(g, null); // text, number and boolean nodes do not use the provider
        }
    }

}
