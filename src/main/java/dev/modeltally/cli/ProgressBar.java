package dev.modeltally.cli;

import dev.modeltally.Scanner;
import dev.modeltally.report.Numbers;
import java.io.PrintWriter;

/** A one-line progress display on stderr: files, bytes, rate and ETA; redrawn at most 10 times a second. */
final class ProgressBar {

    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final long totalFiles;
    private final long totalBytes;
    private final long start = System.nanoTime();
    private long lastDraw;

    ProgressBar(PrintWriter err, Scanner.Discovery found) {
        this.err = err;
        this.totalFiles = found.candidates().size();
        this.totalBytes = Math.max(1, found.bytes());
    }

    synchronized void update(Scanner.Progress p) {
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && p.files() < totalFiles) {
            return;
        }
        lastDraw = now;
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        double fraction = Math.min(1.0, (double) p.bytes() / totalBytes);
        int filled = (int) Math.round(fraction * WIDTH);
        double rate = p.bytes() / seconds;
        String eta = fraction > 0 ? String.format("%.0fs", seconds * (1 - fraction) / fraction) : "?";
        err.print(String.format("\r[%s%s] %d/%d files  %s  %s/s  ETA %s ", "#".repeat(filled),
                " ".repeat(WIDTH - filled), p.files(), totalFiles, Numbers.bytes(p.bytes()),
                Numbers.bytes((long) rate), eta));
        err.flush();
    }

    synchronized void clear() {
        err.print("\r" + " ".repeat(100) + "\r");
        err.flush();
    }
}
