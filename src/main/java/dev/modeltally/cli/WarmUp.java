package dev.modeltally.cli;

import dev.modeltally.ops.OpRegistry;
import dev.modeltally.report.JsonReport;

/**
 * Start-up work that does not depend on the file, done on a second thread while the main one opens and
 * reads it: the op registry (about 230 rules, each a lambda linked on first use, 10–20 ms of a run) and,
 * for {@code --json}, the JSON writer. Class initialisation is the JVM's to order: a main thread that gets
 * there first, or meanwhile, waits for it or does it itself, so nothing here changes what a run computes.
 * A daemon thread, so that a run that ends early (an unreadable file) never waits for it.
 */
final class WarmUp {

    private WarmUp() {
    }

    static void start(boolean json) {
        Thread t = new Thread(() -> {
            try {
                OpRegistry.find("", "Conv");
                if (json) {
                    Class.forName(JsonReport.class.getName(), true, WarmUp.class.getClassLoader());
                }
            } catch (Throwable ignored) {
                // the main thread meets the same failure, if any, and reports it
            }
        }, "modeltally-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
