package dev.modeltally.spark;

import dev.modeltally.IoMessages;
import dev.modeltally.ModelTally;
import dev.modeltally.analysis.Report;
import dev.modeltally.format.LocalSource;
import dev.modeltally.format.ModelReadException;
import dev.modeltally.format.Source;
import dev.modeltally.ir.IoStats;
import dev.modeltally.report.JsonReport;
import dev.modeltally.report.ScanSummary;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The executors' part: open a listed file, decide with the library whether it is a model (scan's
 * rule) and analyse it. Local files go through the library's own local source, so a local row is
 * exactly scan's; everything else through {@link HadoopSource}.
 */
final class FileTask {

    private FileTask() {
    }

    static Analysed analyse(Candidate c, Configuration conf, ModelTally.Options options) {
        Path path = new Path(c.path());
        if (c.folder() && !"file".equals(path.toUri().getScheme())) {
            return row(Report.failed(path.toString(), "unsupported", "is a directory, not a model file"), c);
        }
        try (Source source = open(path, c.size(), conf)) {
            if (!ModelTally.looksLikeModel(source)) {
                return skipped(c, source.stats());
            }
            return row(ModelTally.analyzeOrError(source, options), c);
        } catch (ModelReadException | IOException | RuntimeException e) {
            // could not even be opened: an error row if its name says model, like scan's walk
            if (!ModelTally.isModelName(path.getName())) {
                return skipped(c, IoStats.NONE);
            }
            String kind = e instanceof ModelReadException m ? m.kind() : "io";
            String message = e instanceof IOException io ? IoMessages.describe(io) : e.getMessage();
            return row(Report.failed(name(path), kind, message), c);
        }
    }

    private static Source open(Path path, long size, Configuration conf) throws IOException, ModelReadException {
        URI uri = path.toUri();
        if ("file".equals(uri.getScheme())) {
            return LocalSource.open(java.nio.file.Path.of(uri));
        }
        return HadoopSource.open(path, size, conf);
    }

    private static String name(Path path) {
        URI uri = path.toUri();
        return "file".equals(uri.getScheme()) ? java.nio.file.Path.of(uri).toString() : path.toString();
    }

    private static Analysed row(Report report, Candidate c) {
        ScanSummary one = new ScanSummary();
        one.add(report);
        IoStats io = report.io() == null ? IoStats.NONE : report.io();
        return new Analysed(JsonReport.line(report), one, io.bytesRead(), io.reads(), c.size());
    }

    private static Analysed skipped(Candidate c, IoStats io) {
        ScanSummary one = new ScanSummary();
        one.skipped(1);
        return new Analysed(null, one, io.bytesRead(), io.reads(), c.size());
    }
}
