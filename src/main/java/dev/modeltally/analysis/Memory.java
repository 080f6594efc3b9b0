package dev.modeltally.analysis;

import java.util.List;

/**
 * Memory at the resolved shapes (rule in docs/counting.md). Byte figures are exact when
 * {@code unknownTensors} is 0; otherwise a tensor of unknown size adds nothing and every figure it
 * would enter is a lower bound ({@code lowerBound}).
 *
 * @param weightsBytes     = parameters.bytes
 * @param constantsBytes   = constants.bytes
 * @param inputsBytes      the graph inputs (initializers listed as inputs excluded)
 * @param outputsBytes     the graph outputs
 * @param activationsBytes every tensor a node produces, each once (Constant outputs excluded; control-flow
 *                         bodies once, not per iteration; untaken If branches not at all)
 * @param peakBytes        the largest total of tensors live at once over the main graph's node order
 * @param peakAt           the node at whose step the peak occurs; null for a graph without nodes
 * @param unknownTensors   tensors whose size is unknown (unresolved shape, string/sequence/map type)
 * @param live             bytes live at each step of the main graph (for the chart), in node order
 * @param steps            the node name of each step
 * @param kvCache          the key/value cache of a decoder export, or null when the graph has none
 */
public record Memory(long weightsBytes, long constantsBytes, long inputsBytes, long outputsBytes,
                     long activationsBytes, long peakBytes, String peakAt, int unknownTensors, List<Long> live,
                     List<String> steps, KvCache kvCache) {

    public Memory {
        live = List.copyOf(live);
        steps = List.copyOf(steps);
    }

    public boolean lowerBound() {
        return unknownTensors > 0;
    }

    /**
     * The key/value cache a decoder export carries between steps (name patterns in docs/counting.md).
     *
     * @param bytesPerToken  bytes one more token of context adds, over every layer's keys and values, at the
     *                       resolved batch; -1 when a non-sequence dim is unresolved
     * @param bytes          the cache at the resolved shapes: the present outputs (past + new tokens), or the
     *                       past inputs when the graph outputs none; -1 when unknown
     * @param tokens         the sequence length {@code bytes} is for, -1 when unknown
     * @param pastBytes      the past inputs at the resolved shapes; -1 when unknown, 0 when there are none
     * @param crossBytes     cross-attention (encoder) caches, which do not grow per token; 0 when none
     * @param inputs         the past inputs recognised, in graph order
     * @param outputs        the present outputs recognised, in graph order
     */
    public record KvCache(long bytesPerToken, long bytes, long tokens, long pastBytes, long crossBytes,
                          List<String> inputs, List<String> outputs) {
        public KvCache {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }
}
