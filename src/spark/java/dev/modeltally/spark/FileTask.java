package dev.modeltally.spark;

import dev.modeltally.ModelTally;
import dev.modeltally.Scanner;
import dev.modeltally.analysis.Report;
import dev.modeltally.report.JsonReport;
import dev.modeltally.report.ScanSummary;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** The executors' part: decide whether a listed file is a model and analyse it with the library. */
final class FileTask {

    private FileTask() {
    }

    static Analysed analyse(Candidate c, Configuration conf, ModelTally.Options options) {
        URI uri = new Path(c.path()).toUri();
        Report report;
        if ("file".equals(uri.getScheme())) {
            java.nio.file.Path local = java.nio.file.Path.of(uri);
            if (!Scanner.looksLikeModel(local)) {
                return skipped(c);
            }
            report = ModelTally.analyzeOrError(local, options);
        } else {
            report = Report.failed(c.path(), "unsupported", "no source for " + uri.getScheme() + ": yet");
        }
        ScanSummary one = new ScanSummary();
        one.add(report);
        return new Analysed(JsonReport.line(report), one, 0, 0, c.size());
    }

    private static Analysed skipped(Candidate c) {
        ScanSummary one = new ScanSummary();
        one.skipped(1);
        return new Analysed(null, one, 0, 0, c.size());
    }
}
