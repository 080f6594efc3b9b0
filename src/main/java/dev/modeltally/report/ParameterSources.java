package dev.modeltally.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.analysis.Parameters;
import java.util.ArrayList;
import java.util.List;

/** Where the parameters are stored, the quantization parameters among them, and the weights made at run time. */
final class ParameterSources {

    private ParameterSources() {
    }

    static void put(ObjectNode p, Parameters params) {
        Parameters.BySource s = params.bySource();
        ObjectNode by = p.putObject("by_source");
        by.put("initializer", s.initializer());
        by.put("constant_node", s.constantNode());
        by.put("attribute", s.attribute());
        if (s.variable() > 0) {
            by.put("variable", s.variable());
        }
        ObjectNode q = p.putObject("quantization");
        tally(q, params.quantization());
        if (params.integerBiases().tensors() > 0) {
            q.put("int32_bias_elements", params.integerBiases().elements()); // constants, not in total
        }
        tally(p.putObject("synthesized"), params.synthesized());
    }

    private static void tally(ObjectNode o, Parameters.Tally t) {
        o.put("elements", t.elements());
        o.put("tensors", t.tensors());
        if (t.atLeast()) {
            o.put("at_least", true);
        }
    }

    /** Text lines, only for what is there (a plain torch export prints none). */
    static void text(StringBuilder sb, Parameters p) {
        Parameters.BySource s = p.bySource();
        if (s.constantNode() > 0 || s.attribute() > 0) {
            List<String> parts = new ArrayList<>();
            if (s.initializer() > 0) {
                parts.add("initializers " + Numbers.grouped(s.initializer()));
            }
            if (s.constantNode() > 0) {
                parts.add("Constant nodes " + Numbers.grouped(s.constantNode()));
            }
            if (s.attribute() > 0) {
                parts.add("attributes " + Numbers.grouped(s.attribute()));
            }
            line(sb, "stored in", String.join(", ", parts));
        }
        if (p.quantization().tensors() > 0) {
            line(sb, "quantization", Numbers.grouped(p.quantization().elements()) + " scales and zero points in "
                    + p.quantization().tensors() + " tensors (included above)");
        }
        if (p.synthesized().tensors() > 0) {
            line(sb, "synthesized", (p.synthesized().atLeast() ? "at least " : "")
                    + Numbers.grouped(p.synthesized().elements()) + " elements in " + p.synthesized().tensors()
                    + " weight inputs made at run time (not stored, not included above)");
        }
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(Columns.row(label, value));
    }
}
