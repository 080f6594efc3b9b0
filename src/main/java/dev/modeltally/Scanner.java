package dev.modeltally;

import dev.modeltally.analysis.Report;
import dev.modeltally.format.LocalSource;
import dev.modeltally.format.Probe;
import dev.modeltally.format.Source;
import dev.modeltally.format.registry.ModelFormats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Finds model files under folders (by content; the extension only decides for files whose content
 * is ambiguous) and analyses them in parallel, yielding reports in path order.
 */
public final class Scanner {

    /** File name endings that make a file a model candidate even when no probe accepts it. */
    private static final List<String> MODEL_EXTENSIONS = List.of(".onnx", ".h5", ".hdf5", ".keras");

    /**
     * A file found by {@link #discover}: path and size. {@code sniff}: a regular file without a model name,
     * which only its content can make a model; discovery does not open it, its analysis does, once: it
     * probes the head and drops the file (no row; counted as skipped) unless a format recognises it
     * surely, else analyses it in the same open.
     */
    public record Candidate(Path path, long size, boolean sniff) {
        public Candidate(Path path, long size) {
            this(path, size, false);
        }
    }

    /**
     * What discovery found: candidates in path order, how many other files were passed over unopened
     * (special files without a model name), and the candidates' bytes. Sniffed candidates that turn out not
     * to be models are told to {@code analyze}'s {@code onNotModel}, not counted here.
     */
    public record Discovery(List<Candidate> candidates, long skipped, long bytes) {
    }

    private Scanner() {
    }

    /**
     * Walks {@code roots} (files or folders, symbolic links not followed) and keeps the files that
     * have a model extension (so that a broken model becomes an error row rather than vanishing) and,
     * to be sniffed by their analysis, the other regular files: of those, only files a format recognises
     * with HIGH confidence get a row. Requiring HIGH for other names keeps external data files (raw tensor
     * bytes, e.g. {@code model.onnx.data}) from being taken for models. Discovery opens no file, so that
     * no file is opened twice by a scan.
     */
    public static Discovery discover(List<Path> roots) throws IOException {
        List<Candidate> out = new ArrayList<>();
        long[] skipped = {0};
        long[] bytes = {0};
        for (Path root : roots) {
            Files.walkFileTree(root, Set.of(), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                /** A folder named like a model (x.onnx/) is an error row, and still searched. */
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(root) && dir.getFileName() != null && isModelName(dir)) {
                        out.add(new Candidate(dir, 0));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // A special file or link named like a model is an error row (never opened), not skipped.
                    if (isModelName(file) || attrs.isRegularFile()) {
                        long size = attrs.isRegularFile() ? attrs.size() : 0;
                        out.add(new Candidate(file, size, !isModelName(file)));
                        bytes[0] += size;
                    } else {
                        skipped[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (isModelName(file)) {
                        out.add(new Candidate(file, -1));
                    } else {
                        skipped[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        out.sort((a, b) -> a.path().toString().compareTo(b.path().toString()));
        return new Discovery(List.copyOf(out), skipped[0], bytes[0]);
    }

    private static boolean isModelName(Path file) {
        return isModelName(file.getFileName().toString());
    }

    static boolean isModelName(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return MODEL_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    static boolean looksLikeModel(Source source) {
        if (isModelName(source.fileName())) {
            return true;
        }
        try {
            return ModelFormats.recognisedSurely(Probe.of(source));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Analyses candidates with {@code jobs} threads; reports come out in the candidates' order. At
     * most a few reports per thread are held at once, so memory does not grow with the number of
     * files. {@code onDone} is told of each file as it finishes (for progress), from worker threads.
     */
    public static Stream<Report> analyze(List<Candidate> candidates, ModelTally.Options options, int jobs,
                                         Consumer<Candidate> onDone) {
        return analyze(candidates, options, jobs, onDone, null);
    }

    /**
     * As {@link #analyze(List, ModelTally.Options, int, Consumer)}; {@code onNotModel} is told of each sniffed
     * candidate that turned out not to be a model (it has no report), from worker threads.
     */
    public static Stream<Report> analyze(List<Candidate> candidates, ModelTally.Options options, int jobs,
                                         Consumer<Candidate> onDone, Consumer<Candidate> onNotModel) {
        int threads = Math.max(1, jobs);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(null, r, "modeltally-scan", 16L << 20);
            t.setDaemon(true);
            return t;
        });
        int window = threads * 4;
        Iterator<Report> ordered = new Iterator<>() {
            private final ArrayBlockingQueue<CompletableFuture<Report>> inFlight = new ArrayBlockingQueue<>(window);
            private int next;

            private void fill() {
                while (next < candidates.size() && inFlight.remainingCapacity() > 0) {
                    Candidate c = candidates.get(next++);
                    inFlight.add(CompletableFuture.supplyAsync(() -> {
                        Report r = analyze(c, options);
                        if (r == null && onNotModel != null) {
                            onNotModel.accept(c);
                        }
                        if (onDone != null) {
                            onDone.accept(c);
                        }
                        return r;
                    }, pool));
                }
            }

            /** The next report, taken from the queue; sniffed files that were no model have none. */
            private Report ahead;

            @Override
            public boolean hasNext() {
                while (ahead == null) {
                    fill();
                    if (inFlight.isEmpty()) {
                        pool.shutdown();
                        return false;
                    }
                    ahead = inFlight.remove().join();
                }
                return true;
            }

            @Override
            public Report next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Report r = ahead;
                ahead = null;
                fill();
                return r;
            }
        };
        return StreamSupport.stream(Spliterators.spliterator(ordered, candidates.size(),
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(pool::shutdownNow);
    }

    /**
     * The report of one candidate, or null for a sniffed one that no format recognises surely (or that
     * cannot be opened: discovery passed such files over before, too). A sniffed file is opened once: the
     * head is probed and the model read through the same source.
     */
    static Report analyze(Candidate c, ModelTally.Options options) {
        if (!c.sniff()) {
            return ModelTally.analyzeOrError(c.path(), options);
        }
        Source source;
        try {
            source = LocalSource.open(c.path());
        } catch (Exception e) {
            return null;
        }
        try (source) {
            return looksLikeModel(source) ? ModelTally.analyzeOrError(source, options) : null;
        } catch (IOException e) {
            return Report.failed(c.path().toString(), "io", IoMessages.describe(e)); // close failed
        }
    }

    /** Counts bytes of finished candidates, for progress displays. */
    public static final class Progress implements Consumer<Candidate> {
        private final AtomicLong files = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();

        @Override
        public void accept(Candidate c) {
            files.incrementAndGet();
            bytes.addAndGet(Math.max(0, c.size()));
        }

        public long files() {
            return files.get();
        }

        public long bytes() {
            return bytes.get();
        }
    }
}
