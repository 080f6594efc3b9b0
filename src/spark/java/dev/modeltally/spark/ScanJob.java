package dev.modeltally.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modeltally.ModelTally;
import dev.modeltally.ir.Severity;
import dev.modeltally.report.ScanSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The distributed scan: list the files on the driver, analyse them on the executors with the
 * library (one task per slice of files, in path order), write the rows and a summary, and commit
 * the output folder atomically.
 */
public final class ScanJob {

    /** Summary file name; the leading underscore makes Spark's and Hadoop's readers skip it. */
    public static final String SUMMARY_FILE = "_summary.json";

    /** Files per task when the partition count is chosen here: small enough to spread, large enough to amortise. */
    private static final int FILES_PER_TASK = 32;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the job did: the scan summary, what reading cost, and where the rows are. */
    public record Result(ScanSummary summary, long bytesRead, long reads, long bytesStored, double seconds,
                         String output) {
    }

    private ScanJob() {
    }

    public static Result run(SparkSession spark, ScanSettings settings) throws IOException {
        long start = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        AtomicOutput output = AtomicOutput.prepare(settings.output(), conf);
        List<Candidate> files = Listing.list(settings.paths(), conf);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = settings.partitions() > 0 ? settings.partitions() : slices(files.size(), jsc.defaultParallelism());
        HadoopConf shipped = new HadoopConf(conf);
        JavaRDD<Analysed> analysed = jsc.parallelize(files, slices)
                .map(c -> FileTask.analyse(c, shipped.get(), settings.options()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Totals[] totals = new Totals[1];
            output.commit(temp -> {
                JavaRDD<String> rows = analysed.filter(Analysed::isModel).map(Analysed::row);
                if (settings.format() == ScanSettings.RowFormat.PARQUET) {
                    ParquetRows.of(spark.createDataset(rows.rdd(), Encoders.STRING())).write().parquet(temp.toString());
                } else {
                    // plain text through Hadoop's output committer: no SQL planning for the default format
                    rows.saveAsTextFile(temp.toString());
                }
                totals[0] = analysed.map(Totals::of).fold(new Totals(), Totals::merge);
                double seconds = (System.nanoTime() - start) / 1e9;
                writeSummary(temp, conf, summaryJson(totals[0], seconds, settings));
            });
            Totals t = totals[0];
            return new Result(t.summary, t.bytesRead, t.reads, t.stored, (System.nanoTime() - start) / 1e9,
                    output.target().toString());
        } finally {
            analysed.unpersist(false);
        }
    }

    /** One task per {@value #FILES_PER_TASK} files, but at least two per core and never more than files. */
    static int slices(int files, int parallelism) {
        int wanted = Math.max(2 * parallelism, (files + FILES_PER_TASK - 1) / FILES_PER_TASK);
        return Math.max(1, Math.min(files, wanted));
    }

    /** The summary and the I/O figures over all files, added up where each part was read. */
    static final class Totals implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        ScanSummary summary = new ScanSummary();
        long bytesRead;
        long reads;
        long stored;

        static Totals of(Analysed a) {
            Totals t = new Totals();
            t.summary = a.summary();
            t.bytesRead = a.bytesRead();
            t.reads = a.reads();
            t.stored = a.isModel() ? a.size() : 0;
            return t;
        }

        Totals merge(Totals o) {
            summary.merge(o.summary);
            bytesRead += o.bytesRead;
            reads += o.reads;
            stored += o.stored;
            return this;
        }
    }

    static ObjectNode summaryJson(Totals t, double seconds, ScanSettings settings) {
        ScanSummary s = t.summary;
        ObjectNode o = JSON.createObjectNode();
        o.put("files", s.files());
        o.put("errors", s.errors());
        o.put("skipped", s.skipped());
        o.put("parameters", s.parameters());
        ObjectNode formats = o.putObject("by_format");
        s.byFormat().forEach(formats::put);
        ObjectNode findings = o.putObject("findings");
        findings.put("error", s.findings(Severity.ERROR));
        findings.put("warning", s.findings(Severity.WARNING));
        findings.put("info", s.findings(Severity.INFO));
        ObjectNode read = o.putObject("io");
        read.put("bytes_read", t.bytesRead);
        read.put("reads", t.reads);
        read.put("bytes_stored", t.stored);
        o.put("seconds", Math.round(seconds * 1000) / 1000.0);
        o.put("rows", settings.format() == ScanSettings.RowFormat.PARQUET ? "parquet" : "jsonl");
        o.put("modeltally", ModelTally.class.getPackage().getImplementationVersion());
        return o;
    }

    private static void writeSummary(Path folder, Configuration conf, ObjectNode summary) throws IOException {
        Path file = new Path(folder, SUMMARY_FILE);
        try (OutputStream out = file.getFileSystem(conf).create(file, false)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }
}
