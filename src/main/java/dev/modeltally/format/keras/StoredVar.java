package dev.modeltally.format.keras;

/**
 * One Keras variable found in a weights file.
 *
 * @param name  the name it gets in the IR, e.g. {@code dense/kernel} or Keras 2's {@code dense/kernel:0}
 * @param role  what it is to its layer: kernel, bias, moving_mean, ... ({@code var3} when unknown)
 * @param kind  the class of the (sub)layer that owns it, e.g. LSTMCell for an LSTM's kernel
 */
record StoredVar(String name, String role, String kind, Hdf5.DatasetInfo data) {

    /** The role from a stored weight name: its last segment without the {@code :0} suffix. */
    static String roleOf(String weightName) {
        String last = weightName.substring(weightName.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon < 0 ? last : last.substring(0, colon);
    }
}
