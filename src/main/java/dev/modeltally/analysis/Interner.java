package dev.modeltally.analysis;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Numbers for values (tensors, attributes): equal values share one, so a cache key is a few ints.
 * By identity first: one tensor object is met as a node's output and again as its readers' input,
 * and each object is hashed and compared deeply once, not once per node that reads it.
 */
final class Interner {

    private final Map<Object, Integer> byIdentity;
    private final Map<Object, Integer> byValue = new HashMap<>();

    /** {@code expected}: about how many objects will be met (the identity table is sized for them). */
    Interner(int expected) {
        byIdentity = new IdentityHashMap<>(Math.max(32, expected));
    }

    int id(Object o) {
        Integer id = byIdentity.get(o);
        if (id == null) {
            id = byValue.computeIfAbsent(o, x -> byValue.size());
            byIdentity.put(o, id);
        }
        return id;
    }

    /** A cache key: an op, its opset, and ids of interned values, compared as numbers. */
    static final class Key {
        private final String domain;
        private final String opType;
        private final long opset;
        private final int[] ids;
        private final int hash;

        Key(String domain, String opType, long opset, int[] ids) {
            this.domain = domain;
            this.opType = opType;
            this.opset = opset;
            this.ids = ids;
            this.hash = (31 * domain.hashCode() + opType.hashCode()) * 961 + Long.hashCode(opset) * 31
                    + Arrays.hashCode(ids);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && k.opset == opset && Arrays.equals(k.ids, ids)
                    && k.opType.equals(opType) && k.domain.equals(domain);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
