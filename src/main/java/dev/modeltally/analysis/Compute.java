package dev.modeltally.analysis;

import dev.modeltally.ir.Value;
import dev.modeltally.ops.Count;
import java.util.List;
import java.util.Map;

/**
 * Compute estimated from resolved shapes (conventions in docs/counting.md). {@code macs} counts
 * multiply-accumulates of conv, conv-transpose, matmul/Gemm/Einsum (attention scores included) and
 * recurrent cells; {@code flops = 2 * macs}; {@code otherFlops} is everything else, kept apart.
 * When coverage is incomplete the figures are lower bounds.
 *
 * @param assumed  assumptions the estimate rests on (batch taken as 1, loops run all iterations)
 * @param notes    what stayed unresolved and how to resolve it
 * @param inputs   the input shapes the estimate used
 * @param outputs  the graph outputs as inferred
 * @param byOpType per op type (domain-qualified outside the standard domain)
 * @param nodes    every node, subgraph nodes included, in evaluation order
 */
public record Compute(long macs, long flops, long otherFlops, List<String> assumed, Coverage coverage,
                      List<String> notes, List<Value> inputs, List<Value> outputs, Map<String, OpTypeCompute> byOpType,
                      List<NodeCompute> nodes, Range range, Formula formula) {

    public Compute(long macs, long flops, long otherFlops, List<String> assumed, Coverage coverage,
                   List<String> notes, List<Value> inputs, List<Value> outputs, Map<String, OpTypeCompute> byOpType,
                   List<NodeCompute> nodes, Range range) {
        this(macs, flops, otherFlops, assumed, coverage, notes, inputs, outputs, byOpType, nodes, range, null);
    }

    /** The same compute with its formula (null when no input dim is symbolic). */
    public Compute withFormula(Formula f) {
        return new Compute(macs, flops, otherFlops, assumed, coverage, notes, inputs, outputs, byOpType, nodes, range,
                f);
    }

    /**
     * The span of the totals over the branches of undecided If nodes (null when every branch is
     * decided): {@code macs} etc. are then the minimum; a maximum is unknown when some alternative's
     * cost is unknown. Known figures saturate at 2^63 - 1, as the totals do.
     */
    public record Range(long macsMin, Count macsMax, long otherMin, Count otherMax) {
        public long flopsMin() {
            return twice(macsMin);
        }

        public Count flopsMax() {
            return macsMax.known() ? Count.of(twice(macsMax.value())) : Count.UNKNOWN;
        }

        private static long twice(long v) {
            return v > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * v;
        }
    }

    public Compute(long macs, long flops, long otherFlops, List<String> assumed, Coverage coverage,
                   List<String> notes, List<Value> inputs, List<Value> outputs, Map<String, OpTypeCompute> byOpType,
                   List<NodeCompute> nodes) {
        this(macs, flops, otherFlops, assumed, coverage, notes, inputs, outputs, byOpType, nodes, null);
    }

    /**
     * @param nodes          nodes that run (or may run), subgraph nodes included
     * @param shapesResolved of those, the nodes whose every output shape is fully known
     * @param opsWithoutRule op types modeltally has no rule for, with how many nodes use each
     * @param costUnknown    nodes whose MACs or other FLOPs could not be counted (unknown shapes, unknown
     *                       trip counts, no rule)
     * @param notExecuted    nodes in If branches the condition rules out (not counted in {@code nodes})
     */
    public record Coverage(int nodes, int shapesResolved, Map<String, Integer> opsWithoutRule, int costUnknown,
                           int notExecuted) {
        public Coverage {
            opsWithoutRule = Map.copyOf(opsWithoutRule);
        }

        public Coverage(int nodes, int shapesResolved, Map<String, Integer> opsWithoutRule) {
            this(nodes, shapesResolved, opsWithoutRule, 0, 0);
        }

        /** Every node resolved and counted: the totals are exact under the conventions, not lower bounds. */
        public boolean complete() {
            return shapesResolved == nodes && opsWithoutRule.isEmpty() && costUnknown == 0;
        }
    }

    /** Totals for one op type; {@code unknown} nodes of it could not be counted. */
    public record OpTypeCompute(int nodes, long macs, long otherFlops, int unknown) {
    }

    public Compute {
        assumed = List.copyOf(assumed);
        notes = List.copyOf(notes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        byOpType = Map.copyOf(byOpType);
        nodes = List.copyOf(nodes);
    }

    /** True when some node could not be counted, or a branch is undecided: totals are lower bounds. */
    public boolean lowerBound() {
        return !coverage.complete() || range != null;
    }
}
