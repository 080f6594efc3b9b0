package dev.modeltally.spark;

import dev.modeltally.ModelTally;
import dev.modeltally.analysis.AnalysisOptions;
import dev.modeltally.format.Limits;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one distributed scan is asked to do. Serializable, and the library's options are rebuilt
 * from it on each executor.
 *
 * @param paths      files or folders, as Hadoop paths (hdfs://..., s3a://..., file:/..., or local)
 * @param output     the folder to create with the rows and the summary; must not exist
 * @param format     how rows are written
 * @param partitions how many tasks share the files, or 0 to choose from the file count
 * @param batch      the size of a symbolic batch dim ({@code --batch}), or 0 for the default
 */
public record ScanSettings(List<String> paths, String output, RowFormat format, int partitions, long batch)
        implements Serializable {

    /** How the rows are written: JSON lines (the rows of {@code scan --format jsonl}) or Parquet. */
    public enum RowFormat { JSON, PARQUET }

    public ScanSettings {
        paths = List.copyOf(paths);
    }

    ModelTally.Options options() {
        return new ModelTally.Options(Limits.DEFAULT, new AnalysisOptions(Map.of(), batch));
    }
}
