package dev.modeltally.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.analysis.Memory;
import dev.modeltally.analysis.TensorBytes;
import dev.modeltally.ir.Value;
import java.util.List;

/** The {@code memory} object of the JSON report and each node's {@code output_bytes}. */
final class MemoryJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MemoryJson() {
    }

    static ObjectNode memory(Memory m) {
        ObjectNode o = F.objectNode();
        o.put("weights_bytes", m.weightsBytes());
        o.put("constants_bytes", m.constantsBytes());
        o.put("inputs_bytes", m.inputsBytes());
        o.put("outputs_bytes", m.outputsBytes());
        o.put("activations_bytes", m.activationsBytes());
        o.put("peak_bytes", m.peakBytes());
        o.put("peak_at", m.peakAt());
        o.put("lower_bound", m.lowerBound());
        o.put("unknown_tensors", m.unknownTensors());
        Memory.KvCache kv = m.kvCache();
        if (kv == null) {
            o.putNull("kv_cache");
            return o;
        }
        ObjectNode k = o.putObject("kv_cache");
        count(k, "bytes_per_token", kv.bytesPerToken());
        count(k, "bytes", kv.bytes());
        count(k, "tokens", kv.tokens());
        count(k, "past_bytes", kv.pastBytes());
        k.put("cross_attention_bytes", kv.crossBytes());
        ArrayNode in = k.putArray("inputs");
        kv.inputs().forEach(in::add);
        ArrayNode out = k.putArray("outputs");
        kv.outputs().forEach(out::add);
        return o;
    }

    /** Bytes of each output tensor, null where the size is unknown. */
    static ArrayNode outputBytes(List<Value> outputs) {
        ArrayNode a = F.arrayNode();
        for (Value v : outputs) {
            long b = TensorBytes.of(v.dtype(), v.shape());
            if (b < 0) {
                a.addNull();
            } else {
                a.add(b);
            }
        }
        return a;
    }

    private static void count(ObjectNode o, String field, long v) {
        if (v < 0) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }
}
