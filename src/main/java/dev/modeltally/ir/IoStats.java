package dev.modeltally.ir;

/**
 * What reading one model cost in I/O: bytes fetched from its source by positional reads and the
 * number of read calls that fetched them (each a system call locally, a ranged request remotely),
 * and the bytes of the file memory-mapped instead (local HDF5 headers are walked through a map:
 * only the pages a reader touches are read, and those are not counted, so {@code bytesMapped} is
 * the address space mapped, an upper bound of what the map read, not a measure of it).
 */
public record IoStats(long bytesRead, long reads, long bytesMapped) {

    public static final IoStats NONE = new IoStats(0, 0, 0);

    public IoStats(long bytesRead, long reads) {
        this(bytesRead, reads, 0);
    }

    public IoStats plus(IoStats o) {
        return new IoStats(bytesRead + o.bytesRead, reads + o.reads, bytesMapped + o.bytesMapped);
    }
}
