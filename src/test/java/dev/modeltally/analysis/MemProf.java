package dev.modeltally.analysis;

import dev.modeltally.ModelTally;
import dev.modeltally.format.Limits;
import dev.modeltally.ir.Model;
import java.nio.file.Path;

final class MemProf {
    public static void main(String[] a) throws Exception {
        Model m = ModelTally.read(Path.of(a[0]), Limits.DEFAULT);
        TopoOrder topo = new TopoOrder();
        ShapeInference.Result s = ShapeInference.runSymbolic(m, AnalysisOptions.DEFAULT, topo);
        ShapeInference.Result c = ShapeInference.run(m, AnalysisOptions.DEFAULT);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) MemoryFormula.of(m.graph(), s);
            long t1 = System.nanoTime();
            for (int i = 0; i < 50; i++) MemoryEstimate.of(m.graph(), c, 0, 0);
            long t2 = System.nanoTime();
            System.out.printf("formula memory %.2f ms, concrete memory %.2f ms%n", (t1 - t0) / 50e6, (t2 - t1) / 50e6);
        }
    }
}
