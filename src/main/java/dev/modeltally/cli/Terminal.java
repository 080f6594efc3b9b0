package dev.modeltally.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether stderr is an interactive terminal (progress bars only make sense there). */
final class Terminal {

    private Terminal() {
    }

    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM")) || System.getenv("CI") != null) {
            return false;
        }
        try {
            Path fd = Path.of("/proc/self/fd/2");
            if (Files.exists(fd)) {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (Exception e) {
            // fall through to the portable check
        }
        return System.console() != null;
    }
}
