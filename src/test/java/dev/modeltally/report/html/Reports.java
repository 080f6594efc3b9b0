package dev.modeltally.report.html;

import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.NodeParams;
import dev.modeltally.analysis.Report;
import java.util.List;

/** Variations of analysed reports for rendering tests. */
final class Reports {

    private Reports() {
    }

    static Report withCompute(Report r, Compute c) {
        return new Report(r.path(), r.format(), r.producer(), r.opset(), r.opsets(), r.metadata(), r.parameters(),
                r.constants(), c, r.inputs(), r.outputs(), r.nodes(), r.findings(), r.hasGraph(), r.error());
    }

    static Report withNodes(Report r, List<NodeParams> nodes) {
        return new Report(r.path(), r.format(), r.producer(), r.opset(), r.opsets(), r.metadata(), r.parameters(),
                r.constants(), r.compute(), r.inputs(), r.outputs(), nodes, r.findings(), r.hasGraph(), r.error());
    }
}
