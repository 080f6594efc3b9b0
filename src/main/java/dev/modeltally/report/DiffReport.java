package dev.modeltally.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.analysis.ModelDiff;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.List;

/** Renders a {@link ModelDiff} as a table or JSON. */
public final class DiffReport {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DiffReport() {
    }

    public static String text(ModelDiff d) {
        StringBuilder sb = new StringBuilder();
        sb.append("A: ").append(d.a().path()).append("  (").append(d.a().format()).append(")\n");
        sb.append("B: ").append(d.b().path()).append("  (").append(d.b().format()).append(")\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "A", "B", "B - A"});
        for (ModelDiff.Total t : d.totals()) {
            boolean bound = t.aLowerBound() || t.bLowerBound();
            rows.add(new String[] {t.name(), (t.aLowerBound() ? "≥ " : "") + num(t.a()),
                (t.bLowerBound() ? "≥ " : "") + num(t.b()),
                t.a() == null || t.b() == null || bound ? "?" : signed(t.b() - t.a())});
        }
        sb.append(Columns.format(rows, "", new boolean[] {false, true, true, true}));
        if (d.totals().stream().anyMatch(t -> t.aLowerBound() || t.bLowerBound())) {
            sb.append("≥: lower bound, some ops have no compute rule or unresolved shapes (see inspect)\n");
        }
        if (!d.values().isEmpty()) {
            sb.append('\n');
            for (ModelDiff.ValueDiff v : d.values()) {
                sb.append(v.kind()).append(' ').append(v.name()).append(": ").append(describe(v.a())).append(" -> ")
                        .append(describe(v.b())).append('\n');
            }
        }
        sb.append("\nLayers (aligned by ").append(d.alignment()).append(")\n");
        List<String[]> layers = new ArrayList<>();
        layers.add(new String[] {"A layer", "A op", "A params", "B layer", "B op", "B params", "B - A"});
        for (ModelDiff.Pair p : d.layers()) {
            layers.add(new String[] {name(p.a()), op(p.a()), params(p.a()), name(p.b()), op(p.b()), params(p.b()),
                p.difference() == 0 ? "" : signed(p.difference())});
        }
        sb.append(Columns.format(layers, "  ", new boolean[] {false, false, true, false, false, true, true}));
        if (!d.reasons().isEmpty()) {
            sb.append("\nLikely reasons for the difference\n");
            for (String r : d.reasons()) {
                sb.append("  - ").append(r).append('\n');
            }
        }
        return sb.toString();
    }

    public static ObjectNode json(ModelDiff d) {
        ObjectNode o = F.objectNode();
        o.set("a", JsonReport.toJson(d.a()));
        o.set("b", JsonReport.toJson(d.b()));
        ObjectNode totals = o.putObject("totals");
        for (ModelDiff.Total t : d.totals()) {
            ObjectNode n = totals.putObject(t.name());
            put(n, "a", t.a());
            put(n, "b", t.b());
            n.put("a_lower_bound", t.aLowerBound());
            n.put("b_lower_bound", t.bLowerBound());
            boolean bound = t.aLowerBound() || t.bLowerBound();
            put(n, "difference", t.a() == null || t.b() == null || bound ? null : t.b() - t.a());
        }
        ArrayNode values = o.putArray("values");
        for (ModelDiff.ValueDiff v : d.values()) {
            ObjectNode n = values.addObject();
            n.put("kind", v.kind());
            n.put("name", v.name());
            n.put("a", describe(v.a()));
            n.put("b", describe(v.b()));
        }
        o.put("alignment", d.alignment());
        ArrayNode layers = o.putArray("layers");
        for (ModelDiff.Pair p : d.layers()) {
            ObjectNode n = layers.addObject();
            n.set("a", node(p.a()));
            n.set("b", node(p.b()));
            n.put("difference", p.difference());
        }
        ArrayNode reasons = o.putArray("reasons");
        d.reasons().forEach(reasons::add);
        return o;
    }

    private static ObjectNode node(NodeParams n) {
        if (n == null) {
            return null;
        }
        ObjectNode o = F.objectNode();
        o.put("name", n.name());
        o.put("op_type", n.opType());
        o.put("parameters", n.parameters());
        return o;
    }

    private static void put(ObjectNode n, String k, Long v) {
        if (v == null) {
            n.putNull(k);
        } else {
            n.put(k, v);
        }
    }

    private static String describe(Value v) {
        return v == null ? "(absent)" : ValueText.describe(v);
    }

    private static String num(Long v) {
        return v == null ? "?" : Numbers.grouped(v);
    }

    private static String signed(long v) {
        return (v > 0 ? "+" : "") + Numbers.grouped(v);
    }

    private static String name(NodeParams n) {
        return n == null ? "-" : n.name();
    }

    private static String op(NodeParams n) {
        return n == null ? "" : n.opType();
    }

    private static String params(NodeParams n) {
        return n == null ? "" : Numbers.grouped(n.parameters());
    }
}
