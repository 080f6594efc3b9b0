package dev.modeltally.spark;

import dev.modeltally.report.ScanSummary;
import java.io.Serializable;

/**
 * What an executor made of one listed file: the scan row (the JSONL line of {@code scan}) when it is a
 * model, this file's share of the summary, and what reading it cost.
 *
 * @param row       the JSON line, or null for a file that is not a model (counted as skipped)
 * @param bytesRead bytes the readers fetched from the store
 * @param reads     read calls made to the store
 * @param size      the file's stored size
 */
record Analysed(String row, ScanSummary summary, long bytesRead, long reads, long size) implements Serializable {

    boolean isModel() {
        return row != null;
    }
}
