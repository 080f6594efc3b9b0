package dev.modeltally.analysis;

import java.util.List;
import java.util.Map;

/**
 * Compute estimated from resolved shapes. {@code macs} counts multiply-accumulates of conv, matmul
 * and recurrent ops; {@code flops = 2 * macs}; {@code otherFlops} is everything else, kept apart.
 * When coverage is incomplete the figures are lower bounds ({@code complete == false}).
 */
public record Compute(long macs, long flops, long otherFlops, List<String> assumed, Coverage coverage) {

    public record Coverage(int nodes, int shapesResolved, Map<String, Integer> opsWithoutRule) {
        public Coverage {
            opsWithoutRule = Map.copyOf(opsWithoutRule);
        }

        public boolean complete() {
            return shapesResolved == nodes && opsWithoutRule.isEmpty();
        }
    }

    public Compute {
        assumed = List.copyOf(assumed);
    }
}
