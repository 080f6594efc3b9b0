package dev.modeltally.analysis;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A set by identity that iterates in insertion order. An IdentityHashMap's own order follows
 * identity hash codes, which change from run to run, and would make reports that list members
 * (e.g. the nodes sharing a weight) differ between two runs over the same file.
 */
final class IdentityOrderedSet<T> extends AbstractSet<T> {

    private final Map<T, Boolean> members = new IdentityHashMap<>();
    private final List<T> order = new ArrayList<>();

    @Override
    public boolean add(T t) {
        if (members.put(t, Boolean.TRUE) != null) {
            return false;
        }
        order.add(t);
        return true;
    }

    @Override
    public boolean contains(Object o) {
        return members.containsKey(o);
    }

    @Override
    public Iterator<T> iterator() {
        return Collections.unmodifiableList(order).iterator();
    }

    @Override
    public int size() {
        return order.size();
    }
}
