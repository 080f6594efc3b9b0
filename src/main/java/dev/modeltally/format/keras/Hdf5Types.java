package dev.modeltally.format.keras;

import dev.modeltally.ir.DType;
import io.jhdf.AbstractNode;
import io.jhdf.Constants;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.EnumDataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import io.jhdf.object.message.DataLayoutMessage;

/** A dataset's element type and whether storage was ever allocated, from its header messages only. */
final class Hdf5Types {

    private Hdf5Types() {
    }

    static boolean allocated(Dataset d) {
        if (!(d instanceof AbstractNode node)) {
            return true;
        }
        DataLayoutMessage m = node.getHeader().getMessageOfType(DataLayoutMessage.class);
        if (m instanceof DataLayoutMessage.ContiguousDataLayoutMessage c) {
            return c.getAddress() != Constants.UNDEFINED_ADDRESS;
        }
        if (m instanceof DataLayoutMessage.ChunkedDataLayoutMessage c) {
            return c.getBTreeAddress() != Constants.UNDEFINED_ADDRESS;
        }
        if (m instanceof DataLayoutMessage.ChunkedDataLayoutMessageV4 c) {
            return c.getAddress() != Constants.UNDEFINED_ADDRESS;
        }
        return true;
    }

    /** HDF5 types as IR types; Keras marks bfloat16 (which HDF5 has no name for) with a dtype attribute. */
    static DType dtype(Dataset d) {
        DataType t = d.getDataType();
        if (t instanceof FloatingPoint f) {
            return switch (f.getSize()) {
                case 2 -> f.getExponentSize() == 8 ? DType.BFLOAT16 : DType.FLOAT16;
                case 4 -> DType.FLOAT;
                case 8 -> DType.DOUBLE;
                default -> DType.UNDEFINED;
            };
        }
        if (t instanceof FixedPoint x) {
            boolean s = x.isSigned();
            return switch (x.getSize()) {
                case 1 -> s ? DType.INT8 : DType.UINT8;
                case 2 -> s ? DType.INT16 : DType.UINT16;
                case 4 -> s ? DType.INT32 : DType.UINT32;
                case 8 -> s ? DType.INT64 : DType.UINT64;
                default -> DType.UNDEFINED;
            };
        }
        if (t instanceof EnumDataType e && e.getSize() == 1) {
            return DType.BOOL; // h5py stores numpy bool as a 1-byte enum {FALSE, TRUE}
        }
        Attribute marker = d.getAttributes().get("dtype");
        if (marker != null && marker.getSize() <= 1 && "bfloat16".equals(scalarString(marker))) {
            return DType.BFLOAT16;
        }
        return DType.UNDEFINED;
    }

    private static String scalarString(Attribute a) {
        try {
            Object v = a.getData();
            return v instanceof String s ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
