package dev.modeltally.ops;

import dev.modeltally.ir.Attributes;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.KerasLayer;
import dev.modeltally.ir.KerasLayerTable;
import dev.modeltally.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras recurrent layers. LSTM/GRU/SimpleRNN (and their cells in RNN, stacked or not): T·G·h·(d+h)
 * MACs per sample (G = gates, 4, 3 or 1), bias adds, gate activations and cell updates as other FLOPs;
 * ConvLSTM: per step the input convolution K·Ci and the recurrent ("same", stride 1) convolution K·h
 * per output element of its 4 gates.
 */
final class KerasRecurrentFamilies {

    private KerasRecurrentFamilies() {
    }

    /** LSTM, GRU, SimpleRNN (and CuDNN*): one cell over [B, T, d]. */
    static final class Rnn implements KerasFamily {
        @Override
        public List<Shape> outputs(KerasCall c) {
            Shape x = c.x();
            if (!x.rankKnown() || x.rank() != 3) {
                return List.of(Shape.unknownRank());
            }
            Dim units = KerasCall.dim(c.num("units", -1));
            Shape state = new Shape(List.of(x.dim(0), units));
            return withStates(c, new Shape(List.of(x.dim(0), x.dim(1), units)), state, c.row().param("gates", 1) == 4);
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            return cellCost(c.row(), c.num("units", -1), c.x());
        }
    }

    /** return_sequences picks the sequence or the last step; return_state adds the states (LSTM two). */
    static List<Shape> withStates(KerasCall c, Shape sequence, Shape state, boolean twoStates) {
        Shape out = c.flag("return_sequences", false) ? sequence : state;
        if (!c.flag("return_state", false)) {
            return List.of(out);
        }
        return twoStates ? List.of(out, state, state) : List.of(out, state);
    }

    /** One cell run over every step of x [B, T, d]. */
    static Cost cellCost(KerasLayer cell, long h, Shape x) {
        long gates = cell.param("gates", -1);
        if (gates < 0 || !x.rankKnown() || x.rank() != 3 || h < 0) {
            return Cost.UNKNOWN;
        }
        Count steps = Count.product(x.dim(0), x.dim(1));
        Count d = Count.of(x.dim(2));
        Count macs = steps.times(gates, h).times(d.plus(h));
        // per step: bias adds, gate activations, elementwise cell updates (LSTM/GRU 5h)
        Count other = steps.times(h, 2 * gates + cell.param("cellops", 0));
        return Cost.of(macs, other);
    }

    /** ConvLSTM1D/2D/3D over [B, T, spatial..., C] (channels_first: [B, T, C, spatial...]). */
    static final class ConvRnn implements KerasFamily {
        @Override
        public List<Shape> outputs(KerasCall c) {
            Shape step = step(c);
            if (step == null) {
                return List.of(Shape.unknownRank());
            }
            Shape state = KerasSpatialShapes.conv(step, c.attrs(), c.spatialRank(), c.num("filters", -1), false);
            if (!state.rankKnown()) {
                return List.of(Shape.unknownRank());
            }
            List<Dim> seq = new ArrayList<>(state.dims());
            seq.add(1, c.x().dim(1));
            return withStates(c, new Shape(seq), state, true);
        }

        /** One time step's input: [B, spatial..., C]. */
        private static Shape step(KerasCall c) {
            Shape x = c.x();
            if (!x.rankKnown() || x.rank() != c.spatialRank() + 3) {
                return null;
            }
            List<Dim> d = new ArrayList<>(x.dims());
            d.remove(1);
            return new Shape(d);
        }

        @Override
        public void sizes(KerasCall c, Map<String, long[]> sizes) {
            Shape step = step(c);
            sizes.put("cin", new long[] {step == null ? -1 : KerasConvFamilies.channels(c, step).orElse(-1)});
            sizes.put("K...", c.tuple("kernel_size", c.spatialRank(), -1));
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            Shape step = step(c);
            if (step == null || out.isEmpty()) {
                return Cost.UNKNOWN;
            }
            Shape state = KerasSpatialShapes.conv(step, c.attrs(), c.spatialRank(), c.num("filters", -1), false);
            long f = c.num("filters", -1);
            Count positions = Shapes.elements(state).times(Count.of(c.x().dim(1))).div(f);
            Count k = Count.product(c.tuple("kernel_size", c.spatialRank(), -1));
            Count ci = KerasConvFamilies.channels(c, step);
            long gates = c.row().param("gates", 4);
            Count macs = positions.times(gates, f).times(k).times(ci.plus(f));
            Count other = positions.times(f, 2 * gates + c.row().param("cellops", 0));
            return positions.known() ? Cost.of(macs, other) : Cost.UNKNOWN;
        }
    }

    /** RNN over a cell config: one cell, or StackedRNNCells whose cells feed each other. */
    static final class RnnLayer implements KerasFamily {
        private record Cell(KerasLayer row, Attributes attrs) {
        }

        private static List<Cell> cells(KerasCall c) {
            Object cell = c.attrs().get("cell").orElse(null);
            String cls = KerasCall.className(cell);
            Attributes cfg = KerasCall.config(cell);
            if (cls == null || cfg == null) {
                return null;
            }
            List<Object> entries = new ArrayList<>();
            if (cls.equals("StackedRNNCells") && cfg.get("cells").orElse(null) instanceof List<?> l) {
                entries.addAll(l);
            } else {
                entries.add(cell);
            }
            List<Cell> out = new ArrayList<>();
            for (Object e : entries) {
                KerasLayer row = KerasLayerTable.find(KerasCall.className(e));
                Attributes a = KerasCall.config(e);
                if (row == null || a == null || !row.family().equals("rnn_cell")) {
                    return null;
                }
                out.add(new Cell(row, a));
            }
            return out.isEmpty() ? null : out;
        }

        private static long units(Cell cell) {
            return cell.attrs().getLong("units", -1);
        }

        @Override
        public List<Shape> outputs(KerasCall c) {
            List<Cell> cells = cells(c);
            Shape x = c.x();
            if (cells == null || !x.rankKnown() || x.rank() != 3) {
                return List.of(Shape.unknownRank());
            }
            Dim units = KerasCall.dim(units(cells.get(cells.size() - 1)));
            Shape last = new Shape(List.of(x.dim(0), units));
            Shape out = c.flag("return_sequences", false) ? new Shape(List.of(x.dim(0), x.dim(1), units)) : last;
            List<Shape> all = new ArrayList<>(List.of(out));
            if (c.flag("return_state", false)) {
                for (Cell cell : cells) {
                    Shape s = new Shape(List.of(x.dim(0), KerasCall.dim(units(cell))));
                    all.add(s);
                    if (cell.row().param("gates", 1) == 4) {
                        all.add(s);
                    }
                }
            }
            return all;
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            List<Cell> cells = cells(c);
            Shape x = c.x();
            if (cells == null || !x.rankKnown() || x.rank() != 3) {
                return Cost.UNKNOWN;
            }
            Cost total = Cost.FREE;
            for (Cell cell : cells) {
                total = total.plus(cellCost(cell.row(), units(cell), x));
                x = new Shape(List.of(x.dim(0), x.dim(1), KerasCall.dim(units(cell))));
            }
            return total;
        }

        @Override
        public List<KerasExpect> innerWeights(KerasCall c) {
            List<Cell> cells = cells(c);
            Shape x = c.x();
            if (cells == null || !x.rankKnown() || x.rank() != 3) {
                return null;
            }
            List<KerasExpect> out = new ArrayList<>();
            for (Cell cell : cells) {
                KerasCall inner = new KerasCall(cell.row().className(), cell.row(), cell.attrs(), List.of(x));
                List<KerasExpect> own = KerasLayerRule.expected(cell.row(), CELL, inner);
                String name = cell.attrs().getString("name", "");
                // stacked cells are saved under their names (in name order, not stack order)
                own.forEach(e -> out.add(cells.size() > 1 && !name.isEmpty() ? e.inPart(name) : e));
                x = new Shape(List.of(x.dim(0), x.dim(1), KerasCall.dim(units(cell))));
            }
            return out;
        }
    }

    /** A cell's weights only need its input size. */
    static final KerasFamily CELL = new KerasFamily() {
        @Override
        public List<Shape> outputs(KerasCall c) {
            return List.of(Shape.unknownRank());
        }

        @Override
        public Cost cost(KerasCall c, List<Shape> out) {
            return Cost.UNKNOWN;
        }
    };
}
