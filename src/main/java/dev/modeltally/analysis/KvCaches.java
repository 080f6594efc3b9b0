package dev.modeltally.analysis;

import dev.modeltally.ops.Count;
import dev.modeltally.ir.DType;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Graph;
import dev.modeltally.ir.Shape;
import dev.modeltally.ir.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recognises the key/value cache of a decoder export by its graph inputs and outputs (patterns in
 * docs/counting.md): past inputs ({@code past_key_values.0.key}, {@code past_0}, {@code past_key.3},
 * {@code cache_key_2}, {@code key_cache.1}, ...) and present outputs ({@code present.0.value},
 * {@code present_3}, ...), each of rank 3 or more and a floating or low-bit type (so
 * {@code cache_position} and {@code past_sequence_length} are not caches).
 */
final class KvCaches {

    private static final String[] PAST_PREFIXES = {"past", "cache", "pkv", "layer_past"};
    private static final String[] PAST_PARTS = {"kv_cache", "key_cache", "value_cache", "past_key", "past_value",
        "kvcache"};
    private static final String[] SEQUENCE_WORDS = {"seq", "len", "past", "total", "cache", "position", "token",
        "ctx", "context"};

    private KvCaches() {
    }

    static Memory.KvCache of(Graph g, List<Value> resolvedInputs, List<Value> resolvedOutputs) {
        List<Value> past = matching(g.inputs(), resolvedInputs, false, g);
        List<Value> present = matching(g.outputs(), resolvedOutputs, true, g);
        if (past.isEmpty() && present.isEmpty()) {
            return null;
        }
        List<Value> chosen = present.isEmpty() ? past : present;
        List<Value> resolved = present.isEmpty() ? resolvedInputs : resolvedOutputs;
        long perToken = 0;
        long bytes = 0;
        long cross = 0;
        long tokens = -1;
        for (Value declared : chosen) {
            Shape at = resolvedShape(declared, resolved);
            long b = TensorBytes.of(declared.dtype(), at);
            if (isCross(declared.name())) {
                cross = sum(cross, b);
                continue;
            }
            bytes = sum(bytes, b);
            int seq = sequenceDim(declared.shape());
            if (seq < 0 || !at.rankKnown() || at.rank() != declared.shape().rank()) {
                perToken = -1;
                continue;
            }
            List<Dim> one = new ArrayList<>(at.dims());
            if (tokens < 0) {
                tokens = one.get(seq).valueOr(-1);
            }
            one.set(seq, Dim.of(1));
            perToken = sum(perToken, TensorBytes.of(declared.dtype(), new Shape(one)));
        }
        long pastBytes = 0;
        for (Value v : past) {
            pastBytes = sum(pastBytes, TensorBytes.of(v.dtype(), resolvedShape(v, resolvedInputs)));
        }
        return new Memory.KvCache(perToken, bytes, tokens, pastBytes, cross, names(past), names(present));
    }

    /**
     * The cache tensors among {@code values}, each as the file declares it, with what inference found
     * where the declaration leaves the type or the rank open.
     */
    private static List<Value> matching(List<Value> values, List<Value> resolved, boolean outputs, Graph g) {
        List<Value> out = new ArrayList<>();
        for (Value declared : values) {
            Value r = new Value(declared.name(), declared.dtype(), resolvedShape(declared, resolved));
            for (Value x : resolved) {
                if (x.name().equals(declared.name())) {
                    r = x;
                }
            }
            Value v = new Value(declared.name(), declared.dtype() == DType.UNDEFINED ? r.dtype() : declared.dtype(),
                    declared.shape().rankKnown() ? declared.shape() : r.shape());
            if (g.weights().containsKey(v.name()) || !v.dtype().isWeightType() || !v.shape().rankKnown()
                    || v.shape().rank() < 3) {
                continue;
            }
            String s = v.name().toLowerCase(Locale.ROOT);
            if (isPastName(s) || outputs && (s.startsWith("present") || s.contains(".present")
                    || s.contains("_present"))) {
                out.add(v);
            }
        }
        return out;
    }

    static boolean isPastName(String lower) {
        for (String p : PAST_PREFIXES) {
            if (lower.startsWith(p)) {
                return true;
            }
        }
        for (String p : PAST_PARTS) {
            if (lower.contains(p)) {
                return true;
            }
        }
        return false;
    }

    /** Cross-attention caches hold the encoder's keys and values: their size does not grow with decoding. */
    private static boolean isCross(String name) {
        String s = name.toLowerCase(Locale.ROOT);
        return s.contains("encoder") || s.contains("cross");
    }

    /**
     * The sequence axis of a cache tensor: the first dim after the batch whose symbol names a length
     * (past_sequence_length, total_seq, cache_len, ...), else the layouts exporters use — rank 4
     * [batch, heads, seq, head_dim], rank 5 [2, batch, heads, seq, head_dim] (GPT-2 {@code past_N}),
     * rank 3 [batch, seq, hidden]; -1 when a fixed-size declaration gives no clue and the rank is other.
     */
    static int sequenceDim(Shape declared) {
        int rank = declared.rank();
        for (int i = 1; i < rank; i++) {
            if (declared.dim(i) instanceof Dim.Symbolic s) {
                String n = s.name().toLowerCase(Locale.ROOT);
                for (String w : SEQUENCE_WORDS) {
                    if (n.contains(w)) {
                        return i;
                    }
                }
            }
        }
        return switch (rank) {
            case 3 -> 1;
            case 4 -> 2;
            case 5 -> 3;
            default -> -1;
        };
    }

    private static Shape resolvedShape(Value declared, List<Value> resolved) {
        for (Value v : resolved) {
            if (v.name().equals(declared.name())) {
                return v.shape();
            }
        }
        return declared.shape();
    }

    private static long sum(long total, long b) {
        return total < 0 || b < 0 ? -1 : Count.saturatingAdd(total, b);
    }

    private static List<String> names(List<Value> vs) {
        return vs.stream().map(Value::name).toList();
    }
}
