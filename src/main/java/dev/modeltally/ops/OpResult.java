package dev.modeltally.ops;

import java.util.ArrayList;
import java.util.List;

/**
 * What a rule concluded for one node.
 *
 * @param outputs    one tensor per node output (Tensor.UNKNOWN where nothing is known)
 * @param cost       multiply-accumulates and other floating-point operations (bias, normalisation,
 *                   activations, pooling, softmax, elementwise) of one execution, each unknown apart
 * @param weights    the weight inputs and the shapes they should have (for the cross-check)
 * @param problems   contradictions between inputs and attributes, one line each
 * @param assumed    assumptions the rule had to make (e.g. a Loop runs all its iterations)
 */
public record OpResult(List<Tensor> outputs, Cost cost, List<WeightSpec> weights, List<String> problems,
                       List<String> assumed) {

    public OpResult {
        cost = cost == null ? Cost.UNKNOWN : cost;
        outputs = List.copyOf(outputs);
        weights = List.copyOf(weights);
        problems = List.copyOf(problems);
        assumed = List.copyOf(assumed);
    }

    /** Multiply-accumulates of one execution (may be unknown). */
    public Count macs() {
        return cost.macs();
    }

    /** Other FLOPs of one execution (may be unknown). */
    public Count otherFlops() {
        return cost.other();
    }

    /** The same conclusion with another cost. */
    public OpResult withCost(Cost c) {
        return new OpResult(outputs, c, weights, problems, assumed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Only the outputs are known to be these; no arithmetic (data movement, shape ops). */
    public static OpResult free(Tensor... outputs) {
        return builder().outputs(outputs).macs(0).other(0).build();
    }

    /** Nothing decided: {@code n} unknown outputs, unknown cost. */
    public static OpResult unknown(int n) {
        Builder b = builder();
        for (int i = 0; i < n; i++) {
            b.output(Tensor.UNKNOWN);
        }
        return b.build();
    }

    /** A small mutable builder; costs start unknown. */
    public static final class Builder {
        private final List<Tensor> outputs = new ArrayList<>();
        private Count macs = Count.UNKNOWN;
        private Count other = Count.UNKNOWN;
        private final List<WeightSpec> weights = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> assumed = new ArrayList<>();

        public Builder output(Tensor t) {
            outputs.add(t == null ? Tensor.UNKNOWN : t);
            return this;
        }

        public Builder outputs(Tensor... ts) {
            for (Tensor t : ts) {
                output(t);
            }
            return this;
        }

        public Builder outputs(List<Tensor> ts) {
            ts.forEach(this::output);
            return this;
        }

        public Builder macs(Count m) {
            macs = m;
            return this;
        }

        /** A known number of MACs (0 for none). */
        public Builder macs(long m) {
            return macs(Count.of(m));
        }

        public Builder other(Count o) {
            other = o;
            return this;
        }

        /** A known number of other FLOPs (0 for none). */
        public Builder other(long o) {
            return other(Count.of(o));
        }

        public Builder cost(Cost c) {
            macs = c.macs();
            other = c.other();
            return this;
        }

        public Builder weight(int input, dev.modeltally.ir.Shape expected, String role) {
            weights.add(new WeightSpec(input, expected, role));
            return this;
        }

        public Builder problem(String p) {
            problems.add(p);
            return this;
        }

        public Builder problems(List<String> ps) {
            problems.addAll(ps);
            return this;
        }

        public Builder assumed(String a) {
            assumed.add(a);
            return this;
        }

        public OpResult build() {
            return new OpResult(outputs, new Cost(macs, other), weights, problems, assumed);
        }
    }
}
