package dev.modeltally.ops;

import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Shape;
import java.util.List;

/**
 * LSTM, GRU and RNN (ONNX: W [dirs, G·h, input], R [dirs, G·h, h], B [dirs, 2·G·h]; G = 4, 3, 1).
 * MACs per step, direction and sample: G·h·(input + h); times steps · batch · directions.
 * Other FLOPs per step, direction and sample: 2·G·h bias adds (when B is given), G·h gate
 * activations, and the cell's elementwise updates (LSTM 5h, GRU 5h, RNN 0), plus 3h·2 for LSTM
 * peepholes.
 */
final class RecurrentRules {

    private RecurrentRules() {
    }

    static OpRule cell(int gates, int cellOps) {
        return c -> apply(c, gates, cellOps);
    }

    static OpResult apply(OpContext c, int gates, int cellOps) {
        Tensor x = c.input(0);
        Tensor w = c.input(1);
        boolean batchFirst = c.attrs().getLong("layout", 0) != 0;
        String direction = c.attrs().getString("direction", "forward");
        long dirs = direction.equals("bidirectional") ? 2 : 1;
        long hidden = c.attrs().getLong("hidden_size", -1);
        if (hidden < 0 && w.rank() == 3 && w.dim(1) instanceof Dim.Fixed f) {
            hidden = f.value() / gates;
        }
        Dim h = hidden >= 0 ? Dim.of(hidden) : Dim.UNKNOWN;
        Dim seq = x.rank() == 3 ? x.dim(batchFirst ? 1 : 0) : Dim.UNKNOWN;
        Dim batch = x.rank() == 3 ? x.dim(batchFirst ? 0 : 1) : Dim.UNKNOWN;
        Dim input = x.rank() == 3 ? x.dim(2) : Dim.UNKNOWN;
        Dim gh = hidden >= 0 ? Dim.of(gates * hidden) : Dim.UNKNOWN;
        Dim d = Dim.of(dirs);
        OpResult.Builder b = OpResult.builder();
        b.weight(1, new Shape(List.of(d, gh, input)), "input weight");
        b.weight(2, new Shape(List.of(d, gh, h)), "recurrence weight");
        if (c.present(3)) {
            b.weight(3, new Shape(List.of(d, hidden >= 0 ? Dim.of(2L * gates * hidden) : Dim.UNKNOWN)), "bias");
        }
        boolean lstm = gates == 4;
        if (lstm && c.present(7)) {
            b.weight(7, new Shape(List.of(d, hidden >= 0 ? Dim.of(3 * hidden) : Dim.UNKNOWN)), "peephole");
        }
        Shape y = batchFirst ? new Shape(List.of(batch, seq, d, h)) : new Shape(List.of(seq, d, batch, h));
        Shape state = batchFirst ? new Shape(List.of(batch, d, h)) : new Shape(List.of(d, batch, h));
        int outs = c.node().outputs().size();
        b.output(Tensor.of(x.dtype(), y));
        for (int i = 1; i < outs; i++) {
            b.output(Tensor.of(x.dtype(), state));
        }
        Count steps = Count.product(seq, batch).times(dirs);
        Count perStep = Count.product(gates, hidden).times(Count.of(input).plus(hidden));
        Count bias = c.present(3) ? Count.product(2L * gates, hidden) : Count.ZERO;
        Count peephole = lstm && c.present(7) ? Count.product(6, hidden) : Count.ZERO;
        Count otherPerStep = Count.sum(bias, Count.product(gates, hidden), Count.product(cellOps, hidden), peephole);
        return b.macs(steps.times(perStep)).other(steps.times(otherPerStep)).build();
    }
}
