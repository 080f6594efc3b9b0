package dev.modeltally.spark;

import dev.modeltally.ModelTally;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Lists every regular file under the scan's paths, on the driver, through Hadoop's FileSystem API.
 * Which of them are models is decided on the executors (by content, as {@code scan} does), so that
 * the head reads of a large store are spread over the cluster. Like {@code scan}, symbolic links are
 * not followed and a folder named like a model is an error row (object stores, listed flat, have no
 * such folders); files come out in path order, as scan's rows do.
 */
final class Listing {

    private Listing() {
    }

    /** Thrown for a path that does not exist: a usage error, reported before any work starts. */
    static final class MissingPathException extends IOException {
        private static final long serialVersionUID = 1L;

        MissingPathException(String path) {
            super(path + ": no such file or directory");
        }
    }

    static List<Candidate> list(List<String> paths, Configuration conf) throws IOException {
        List<Candidate> out = new ArrayList<>();
        for (String p : paths) {
            Path root = new Path(p);
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(root);
            } catch (FileNotFoundException e) {
                throw new MissingPathException(p);
            }
            walk(fs, status, out);
        }
        out.sort(Comparator.comparing(Candidate::path));
        return out;
    }

    /** Object stores have no real folders: one flat, paged listing beats a request per "folder". */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "gs", "abfs", "abfss", "wasb", "wasbs", "oss");

    private static void walk(FileSystem fs, FileStatus start, List<Candidate> out) throws IOException {
        if (start.isDirectory() && OBJECT_STORES.contains(start.getPath().toUri().getScheme())) {
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(start.getPath(), true);
            while (files.hasNext()) {
                LocatedFileStatus f = files.next();
                if (f.isFile()) {
                    out.add(new Candidate(f.getPath().toString(), f.getLen()));
                }
            }
            return;
        }
        Deque<FileStatus> todo = new ArrayDeque<>();
        todo.push(start);
        while (!todo.isEmpty()) {
            FileStatus s = todo.pop();
            if (isLocalLink(s.getPath())) {
                continue;
            }
            if (s.isDirectory()) {
                if (s != start && ModelTally.isModelName(s.getPath().getName())) {
                    out.add(new Candidate(s.getPath().toString(), 0, true)); // and still searched, as scan does
                }
                for (FileStatus child : fs.listStatus(s.getPath())) {
                    todo.push(child);
                }
            } else if (s.isFile()) {
                out.add(new Candidate(s.getPath().toString(), s.getLen()));
            }
        }
    }

    /** The local file system reports a link as what it points to; scan never follows links. */
    private static boolean isLocalLink(Path p) {
        URI u = p.toUri();
        return "file".equals(u.getScheme()) && Files.isSymbolicLink(java.nio.file.Path.of(u));
    }
}
