package dev.modeltally.report;

import dev.modeltally.analysis.Memory;
import dev.modeltally.analysis.Report;

/** The Memory section of the {@code inspect} table. */
final class MemoryText {

    private MemoryText() {
    }

    static void summary(StringBuilder sb, Report r) {
        Memory m = r.memory();
        if (m == null) {
            if (r.compute() == null) {
                sb.append("Memory          ").append(r.hasGraph() ? "not estimated (see findings)"
                        : "weights only: ").append(r.hasGraph() ? "" : bytes(r.parameters().bytes()) + " of weights")
                        .append('\n');
            }
            return;
        }
        String bound = m.lowerBound() ? "at least " : "";
        sb.append("Memory          peak ").append(bound).append(bytes(m.peakBytes()))
                .append(m.peakAt() == null ? "" : " at " + m.peakAt()).append("  (tensors live at once, weights apart)");
        sb.append(m.lowerBound() ? "  LOWER BOUND: " + m.unknownTensors() + " tensor(s) of unknown size\n" : "\n");
        sb.append(row("activations", bound + bytes(m.activationsBytes()) + "  (every node output once)"));
        sb.append(row("weights", bytes(m.weightsBytes()) + (m.constantsBytes() > 0 ? ", constants "
                + bytes(m.constantsBytes()) : "")));
        sb.append(row("inputs", bound + bytes(m.inputsBytes()) + ", outputs " + bound + bytes(m.outputsBytes())));
        Memory.KvCache kv = m.kvCache();
        if (kv != null) {
            StringBuilder s = new StringBuilder();
            s.append(kv.bytesPerToken() < 0 ? "? " : bytes(kv.bytesPerToken())).append(" per token");
            if (kv.bytes() >= 0) {
                s.append(", ").append(bytes(kv.bytes()));
                if (kv.tokens() >= 0) {
                    s.append(" at ").append(Numbers.grouped(kv.tokens())).append(" tokens");
                }
            }
            if (kv.crossBytes() > 0) {
                s.append(", cross-attention ").append(bytes(kv.crossBytes()));
            }
            s.append("  (").append(kv.inputs().size()).append(" past inputs, ").append(kv.outputs().size())
                    .append(" present outputs)");
            sb.append(row("KV cache", s.toString()));
        }
    }

    /** 25,690,112 (24.5 MiB). */
    static String bytes(long n) {
        return Numbers.grouped(n) + " B (" + Numbers.bytes(n) + ")";
    }

    private static String row(String label, String value) {
        return Columns.row(label, value);
    }
}
