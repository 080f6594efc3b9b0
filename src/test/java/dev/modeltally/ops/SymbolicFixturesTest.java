package dev.modeltally.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.NodeCompute;
import dev.modeltally.analysis.Report;
import dev.modeltally.ir.Dim;
import dev.modeltally.ir.Value;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Transformer exports with a dynamic batch and sequence keep every activation symbolic: shape
 * values (Shape, Gather, Concat, Reshape targets) carry the symbols through to the matrix products.
 */
class SymbolicFixturesTest {

    private static final Set<String> MAIN_OPS = Set.of("MatMul", "Add", "Softmax", "Gemm");

    /** Nodes with an output that has an Unknown dim or rank, by op type; {@code mainOnly} counts only MAIN_OPS. */
    static TreeMap<String, Integer> unknownNodes(String file, boolean mainOnly) throws Exception {
        Report r = ModelTally.analyze(Path.of(file), ModelTally.Options.DEFAULT);
        TreeMap<String, Integer> byOp = new TreeMap<>();
        for (NodeCompute nc : r.compute().nodes()) {
            if (mainOnly && !MAIN_OPS.contains(nc.opType())) {
                continue;
            }
            for (Value v : nc.outputs()) {
                if (!v.shape().rankKnown() || v.shape().dims().stream().anyMatch(d -> d instanceof Dim.Unknown)) {
                    byOp.merge(nc.opType(), 1, Integer::sum);
                    break;
                }
            }
        }
        return byOp;
    }

    static boolean unk(dev.modeltally.ir.Shape s) {
        return !s.rankKnown() || s.dims().stream().anyMatch(d -> d instanceof Dim.Unknown);
    }

    static void firstUnknowns(String file) throws Exception {
        Report r = ModelTally.analyze(Path.of(file), ModelTally.Options.DEFAULT);
        dev.modeltally.ir.Model m = ModelTally.read(Path.of(file), dev.modeltally.format.Limits.DEFAULT);
        java.util.Map<String, dev.modeltally.ir.Shape> shapes = new java.util.HashMap<>();
        for (Value v : m.graph().inputs()) shapes.put(v.name(), v.shape());
        m.graph().weights().forEach((k, w) -> shapes.put(k, w.shape()));
        java.util.Map<String, dev.modeltally.ir.Node> byName = new java.util.HashMap<>();
        for (dev.modeltally.ir.Node n : m.graph().nodes()) byName.put(n.name(), n);
        for (NodeCompute nc : r.compute().nodes()) {
            for (Value v : nc.outputs()) shapes.put(v.name(), v.shape());
        }
        for (NodeCompute nc : r.compute().nodes()) {
            dev.modeltally.ir.Node n = byName.get(nc.name());
            if (n == null) continue;
            boolean outU = nc.outputs().stream().anyMatch(v -> unk(v.shape()));
            boolean inU = n.inputs().stream().filter(i -> !i.isEmpty()).anyMatch(i -> shapes.get(i) == null || unk(shapes.get(i)));
            if (outU && !inU) {
                StringBuilder sb = new StringBuilder("FIRST " + nc.opType() + " " + nc.name() + " ins=");
                for (String i : n.inputs()) sb.append(shapes.get(i)).append(' ');
                sb.append(" outs=").append(nc.outputs().get(0).shape()).append(" attrs=").append(n.attrs());
                System.out.println(sb);
            }
        }
    }

    @Test
    void debug() throws Exception {
        for (String f : System.getProperty("files", "").split(",")) {
            if (!f.isEmpty()) firstUnknowns(f);
        }
    }

    @Test
    void report() throws Exception {
        for (String f : new String[] {"testdata/compute/gpt2.onnx", "testdata/compute/bert_fused.onnx",
                "testdata/compute/nanogpt.onnx", "testdata/compute/bert_base.onnx", "testdata/memory/gpt2_past.onnx"}) {
            System.out.println("UNKNOWN " + f + " all=" + unknownNodes(f, false) + " main=" + unknownNodes(f, true));
        }
    }
}
