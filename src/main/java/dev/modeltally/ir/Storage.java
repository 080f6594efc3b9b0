package dev.modeltally.ir;

/** Where a weight's bytes are. Never the bytes themselves. */
public sealed interface Storage
        permits Storage.Inline, Storage.External, Storage.Hdf5Dataset, Storage.Synthesized, Storage.Absent {

    /** Bytes inside the model file, {@code length} bytes from {@code offset}. */
    record Inline(long offset, long length) implements Storage {
        /**
         * As the record's own (every component), written out: a record's generated equals and hashCode
         * are linked through method handles on first use, milliseconds of every short run (issue 15).
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Inline i && i.offset == offset && i.length == length;
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(offset) + Long.hashCode(length);
        }
    }

    /**
     * Bytes in another file next to the model. {@code length} is -1 when the file does not say.
     * {@code status} is what a metadata-only check of that file found; {@code detail} says why when
     * it is not {@link ExternalStatus#PRESENT}.
     */
    record External(String location, long offset, long length, ExternalStatus status, String detail)
            implements Storage {
    }

    enum ExternalStatus {
        /** The file exists inside the model folder and is large enough. */
        PRESENT,
        /** No such file. */
        MISSING,
        /** The file exists but ends before offset + length. */
        TOO_SHORT,
        /** Never opened: absolute, escapes the model folder, a link, a device, a FIFO or a folder. */
        REFUSED
    }

    /** An HDF5 dataset; {@code allocated} is false for a dataset created without ever writing data. */
    record Hdf5Dataset(String path, boolean allocated) implements Storage {
    }

    /** Made at run time by an op (e.g. ConstantOfShape), not stored in the file. */
    record Synthesized(String byOp) implements Storage {
    }

    /** Declared but with no data anywhere (e.g. a tensor with no data fields). */
    record Absent() implements Storage {
    }
}
