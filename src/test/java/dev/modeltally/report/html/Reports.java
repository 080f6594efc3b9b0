package dev.modeltally.report.html;

import dev.modeltally.analysis.Compute;
import dev.modeltally.analysis.Report;

/** Variations of analysed reports for rendering tests. */
final class Reports {

    private Reports() {
    }

    static Report withCompute(Report r, Compute c) {
        return new Report(r.path(), r.format(), r.producer(), r.opset(), r.opsets(), r.metadata(), r.parameters(),
                r.constants(), c, r.inputs(), r.outputs(), r.nodes(), r.findings(), r.hasGraph(), r.error());
    }
}
