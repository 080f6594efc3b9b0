package dev.modeltally.ir;

/**
 * What reading one model cost in I/O: bytes fetched from its source and the number of read calls
 * that fetched them (each a system call locally, a ranged request remotely).
 */
public record IoStats(long bytesRead, long reads) {

    public static final IoStats NONE = new IoStats(0, 0);

    public IoStats plus(IoStats o) {
        return new IoStats(bytesRead + o.bytesRead, reads + o.reads);
    }
}
