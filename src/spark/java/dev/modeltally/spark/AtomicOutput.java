package dev.modeltally.spark;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The scan's output folder appears whole or not at all: everything is written into a hidden sibling
 * folder, which is renamed to the asked-for name only once the rows and the summary are complete,
 * and deleted when anything fails. On HDFS and local disks the rename is atomic; on object stores
 * (s3a, gs, abfs without hierarchical namespace) it is a copy, so readers should wait for
 * {@code _summary.json}, which is written last into the temporary folder and therefore arrives with it.
 */
final class AtomicOutput {

    /** Writes the contents of a folder that does not exist yet. */
    interface Writer {
        void writeTo(Path folder) throws IOException;
    }

    private final FileSystem fs;
    private final Path target;

    private AtomicOutput(FileSystem fs, Path target) {
        this.fs = fs;
        this.target = target;
    }

    /** Checks that {@code output} can be created; fails before any work when it already exists. */
    static AtomicOutput prepare(String output, Configuration conf) throws IOException {
        Path target = new Path(output);
        FileSystem fs = target.getFileSystem(conf);
        target = fs.makeQualified(target);
        if (fs.exists(target)) {
            throw new IOException(output + ": already exists (the scan writes a new folder)");
        }
        if (target.getParent() == null) {
            throw new IOException(output + ": cannot write the root folder");
        }
        return new AtomicOutput(fs, target);
    }

    Path target() {
        return target;
    }

    void commit(Writer writer) throws IOException {
        Path temp = new Path(target.getParent(), "." + target.getName() + ".modeltally-" + UUID.randomUUID());
        try {
            writer.writeTo(temp);
            if (fs.exists(target)) {
                throw new IOException(target + ": appeared while the scan ran; the result was not kept");
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("cannot rename " + temp + " to " + target);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                fs.delete(temp, true);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
