package dev.modeltally.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The records whose equals and hashCode are written out (for start-up) keep the record contract: equal exactly
 * when every component is equal, and then with the same hash. Every combination of two samples per component.
 */
class RecordEqualityTest {

    @Test
    void writtenOutEqualityIsTheRecordsOwn() throws Exception {
        check(Dim.Fixed.class, List.of(0L, 7L));
        check(Storage.Inline.class, List.of(0L, 16L), List.of(4L, 0L));
        check(Shape.class, null, List.of(List.of(Dim.of(1), Dim.of(3))));
        check(Value.class, List.of("x", "y"), List.of(DType.FLOAT, DType.INT64), List.of(Shape.of(1, 3), Shape.of(2)),
                null, List.of(ValueType.tensor(DType.FLOAT, Shape.of(1))));
        check(Weight.class, List.of("w", "b"), List.of(DType.FLOAT, DType.FLOAT16), List.of(Shape.of(4), Shape.of(2, 2)),
                List.of(Weight.Role.INITIALIZER, Weight.Role.CONSTANT_NODE), List.of(true, false),
                List.of(new Storage.Inline(0, 16), new Storage.Inline(16, 16)), null, List.of(List.of(1L, 2L)),
                null, List.of(List.of(0.5)));
    }

    /**
     * Samples per component in order; a null entry followed by a list means "null or that list's value" for a
     * nullable component (the null is the component's first sample).
     */
    private static void check(Class<?> type, Object... samples) throws Exception {
        List<List<Object>> perComponent = new ArrayList<>();
        for (int i = 0; i < samples.length; i++) {
            List<Object> s = new ArrayList<>();
            if (samples[i] == null) {
                s.add(null);
                s.add(((List<?>) samples[++i]).get(0));
            } else {
                s.addAll((List<?>) samples[i]);
            }
            perComponent.add(s);
        }
        RecordComponent[] components = type.getRecordComponents();
        assertEquals(components.length, perComponent.size(), type.getName());
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        Constructor<?> canonical = type.getDeclaredConstructor(types);
        canonical.setAccessible(true);
        int n = components.length;
        List<Object[]> argsList = new ArrayList<>();
        List<Object> made = new ArrayList<>();
        for (int mask = 0; mask < 1 << n; mask++) {
            Object[] args = new Object[n];
            for (int i = 0; i < n; i++) {
                args[i] = perComponent.get(i).get(mask >> i & 1);
            }
            argsList.add(args);
            made.add(canonical.newInstance(args));
        }
        for (int a = 0; a < made.size(); a++) {
            for (int b = 0; b < made.size(); b++) {
                boolean same = true;
                for (int i = 0; i < n; i++) {
                    Object x = components[i].getAccessor().invoke(made.get(a));
                    Object y = components[i].getAccessor().invoke(made.get(b));
                    same &= Objects.equals(x, y);
                }
                Object x = made.get(a);
                Object y = made.get(b);
                assertEquals(same, x.equals(y), type.getSimpleName() + " " + x + " vs " + y);
                if (same) {
                    assertEquals(x.hashCode(), y.hashCode(), type.getSimpleName() + " " + x);
                    assertEquals(x.hashCode(), canonical.newInstance(argsList.get(a)).hashCode());
                }
            }
            assertEquals(false, made.get(a).equals(null));
            assertEquals(false, made.get(a).equals("not a record"));
        }
    }
}
