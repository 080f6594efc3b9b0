package dev.modeltally.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's command line read without picocli, for the hot commands: building picocli's model of a
 * command by reflection costs about 50 ms, a third of an {@code inspect} run. It reads only lines that
 * picocli would read the same way and that cannot fail: known long options, each given once (repeatable
 * ones any number of times) as {@code --name value} or {@code --name=value}, values that convert, and
 * positional arguments. Anything else (help, version, an unknown or repeated option, a value that starts
 * with {@code -} or does not convert, an {@code @file}, {@code --}, an empty argument) makes
 * {@link #read} give up, and the caller hands the line to picocli, which then prints the help or the
 * usage error exactly as before. So this class never decides what is an error.
 */
final class PlainArgs {

    /** The options of one command, by how they take values. */
    record Names(Set<String> flags, Set<String> singles, Set<String> repeatables) {

        Names plus(Names other) {
            return new Names(union(flags, other.flags), union(singles, other.singles),
                    union(repeatables, other.repeatables));
        }

        /** Every option name. */
        Set<String> all() {
            return union(flags, union(singles, repeatables));
        }

        private static Set<String> union(Set<String> a, Set<String> b) {
            Set<String> u = new HashSet<>(a);
            u.addAll(b);
            return u;
        }
    }

    /** Thrown by a conversion that picocli would report as an error; caught by the command's reader. */
    static final class NotPlain extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotPlain() {
            super(null, null, false, false);
        }
    }

    private final Set<String> flags = new HashSet<>();
    private final Map<String, String> singles = new HashMap<>();
    private final Map<String, List<String>> repeatables = new HashMap<>();
    final List<String> positionals = new ArrayList<>();

    private PlainArgs() {
    }

    /** The arguments from {@code args[from]} on, or null when picocli should read them. */
    static PlainArgs read(String[] args, int from, Names names) {
        PlainArgs a = new PlainArgs();
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (arg.isEmpty() || arg.charAt(0) == '@') {
                return null;
            }
            if (arg.charAt(0) != '-') {
                a.positionals.add(arg);
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 ? arg.substring(0, eq) : arg;
            if (names.flags().contains(name)) {
                if (eq > 0 || !a.flags.add(name)) {
                    return null;
                }
                continue;
            }
            boolean single = names.singles().contains(name);
            if (!single && !names.repeatables().contains(name)) {
                return null;
            }
            String value;
            if (eq > 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@') {
                return null;
            }
            if (single) {
                if (a.singles.putIfAbsent(name, value) != null) {
                    return null;
                }
            } else {
                a.repeatables.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    List<String> list(String name) {
        return repeatables.getOrDefault(name, List.of());
    }

    int intValue(String name, int absent) {
        String v = singles.get(name);
        try {
            return v == null ? absent : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new NotPlain();
        }
    }

    long longValue(String name, long absent) {
        String v = singles.get(name);
        try {
            return v == null ? absent : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new NotPlain();
        }
    }

    Path path(String name, Path absent) {
        String v = singles.get(name);
        return v == null ? absent : path(v);
    }

    static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new NotPlain();
        }
    }
}
