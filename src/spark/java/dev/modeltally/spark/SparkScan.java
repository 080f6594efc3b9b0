package dev.modeltally.spark;

import dev.modeltally.report.Numbers;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code modeltally-spark scan --output DIR PATH...}: the scan as a Spark job. Run it through
 * {@code spark-submit} (the master comes from there) or from a checkout with bin/modeltally-spark
 * ({@code --master local[2]}).
 */
@Command(name = "modeltally-spark", mixinStandardHelpOptions = true, subcommands = SparkScan.Scan.class,
        description = "Audit model files on Apache Spark, reading only their metadata.")
public final class SparkScan {

    static final int OK = 0;
    static final int FAILED = 2;

    private SparkScan() {
    }

    public static void main(String[] args) {
        int code = run(args, null, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /**
     * Runs the command line; {@code session}, when not null, supplies the SparkSession to use (tests
     * share one), otherwise one is made from {@code --master} or spark-submit's settings and stopped at the end.
     */
    public static int run(String[] args, Supplier<SparkSession> session, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparkScan());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(out);
        cl.setErr(err);
        Scan scan = cl.getSubcommands().get("scan").getCommand();
        scan.session = session;
        return cl.execute(args);
    }

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Find model files under the paths (by content, as `modeltally scan` does), analyse "
                    + "them on the executors and write one row per file (the rows of `scan --format jsonl`) "
                    + "and _summary.json into a new folder. A file that cannot be read is a row with an "
                    + "error. The folder appears only when the job succeeds.",
                "Exit code 0; 2 when the job cannot run (a path is missing, the output exists, Spark fails)."})
    static final class Scan implements Callable<Integer> {

        Supplier<SparkSession> session;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "PATH", arity = "1..*",
                description = "Files or folders: hdfs://..., s3a://..., gs://..., abfs://..., file:/... or local paths.")
        List<String> paths;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", required = true,
                description = "Folder to create for the rows and the summary (must not exist).")
        String output;

        @Option(names = "--format", paramLabel = "FMT", defaultValue = "json",
                description = "json (JSON lines, the default) or parquet.")
        ScanSettings.RowFormat format;

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master, e.g. local[2]; by default the one spark-submit sets.")
        String master;

        @Option(names = "--partitions", paramLabel = "N",
                description = "Tasks to split the files into (default: one per 32 files, at least two per core).")
        int partitions;

        @Option(names = "--batch", paramLabel = "N",
                description = "Size of a symbolic batch dim (the first dim of an input); default 1, listed as assumed.")
        long batch;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (batch < 0 || partitions < 0) {
                err.println("error: --batch and --partitions must be positive");
                return FAILED;
            }
            ScanSettings settings = new ScanSettings(paths, output, format, partitions, batch);
            SparkSession spark = null;
            try {
                spark = session != null ? session.get() : newSession();
                ScanJob.Result r = ScanJob.run(spark, settings);
                out.print(r.summary().render(r.seconds()));
                out.println(io(r));
                out.println("rows: " + r.output());
                out.flush();
                return OK;
            } catch (Exception e) {
                err.println("error: " + oneLine(e));
                err.flush();
                return FAILED;
            } finally {
                if (session == null && spark != null) {
                    spark.stop();
                }
            }
        }

        private SparkSession newSession() {
            SparkConf conf = new SparkConf().setAppName("modeltally scan");
            if (master != null) {
                conf.setMaster(master);
            }
            if (conf.get("spark.master", "").startsWith("local")) {
                // driver and executors are this one process: keep it off the network and skip the web UI
                conf.setIfMissing("spark.driver.host", "127.0.0.1");
                conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
                conf.setIfMissing("spark.ui.enabled", "false");
            }
            return SparkSession.builder().config(conf).getOrCreate();
        }
    }

    static String io(ScanJob.Result r) {
        String share = r.bytesStored() == 0 ? "" : String.format(Locale.ROOT, " (%.4f%%)",
                100.0 * r.bytesRead() / r.bytesStored());
        return "io: " + Numbers.grouped(r.bytesRead()) + " bytes read in " + Numbers.grouped(r.reads())
                + " reads, of " + Numbers.grouped(r.bytesStored()) + " bytes stored in the models" + share;
    }

    /** The first line of the message (Spark's carry the remote stack trace after it). */
    static String oneLine(Throwable e) {
        String m = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
        return m.strip().lines().findFirst().orElse(m);
    }
}
