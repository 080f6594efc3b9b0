package dev.modeltally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modeltally.testing.Cli;
import org.junit.jupiter.api.Test;

/** Main registers only the invoked subcommand; every way in must still behave as with all of them. */
class MainTest {

    @Test
    void versionAloneIsAnsweredAsPicocliWould() {
        Cli v = Cli.run("--version");
        Cli shortForm = Cli.run("-V");
        assertEquals(0, v.exitCode());
        assertTrue(v.out().startsWith("modeltally "), v.out());
        assertEquals(v.out(), shortForm.out());
    }

    @Test
    void overallHelpAndNoArgumentsListEveryCommand() {
        for (String[] args : new String[][] {{}, {"--help"}, {"help"}}) {
            Cli r = Cli.run(args);
            assertEquals(0, r.exitCode(), String.join(" ", args));
            for (String name : Main.COMMANDS) {
                assertTrue(r.out().contains("  " + name + " "), name + " missing from: " + r.out());
            }
        }
    }

    @Test
    void helpForOneCommandAndThatCommandsOwnHelpAgree() {
        Cli viaHelp = Cli.run("help", "inspect");
        Cli own = Cli.run("inspect", "--help");
        assertEquals(0, viaHelp.exitCode());
        assertEquals(0, own.exitCode());
        assertTrue(own.out().startsWith("Usage: modeltally inspect"), own.out());
        assertEquals(own.out(), viaHelp.out());
    }

    @Test
    void everyListedCommandCanBeMade() {
        for (String name : Main.COMMANDS) {
            assertTrue(Main.command(name) != null, name);
        }
        assertEquals(null, Main.command("frob"));
    }

    @Test
    void unknownCommandAndBadOptionAreUsageErrors() {
        Cli unknown = Cli.run("frob");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().startsWith("error: Unmatched argument at index 0: 'frob'"), unknown.err());
        Cli badOption = Cli.run("--frob");
        assertEquals(2, badOption.exitCode());
        Cli badSubOption = Cli.run("scan", "--frob", "x");
        assertEquals(2, badSubOption.exitCode());
        assertTrue(badSubOption.err().contains("try 'modeltally scan --help'"), badSubOption.err());
    }
}
