package dev.modeltally.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code modeltally} command. */
@Command(name = "modeltally", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Counts what is inside ONNX and Keras model files without running them.",
        subcommands = {InspectCommand.class, ScanCommand.class, VerifyCommand.class, DiffCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a check failed (verify mismatch, --fail-on finding)",
            "2:the input could not be read, or bad usage"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int UNREADABLE = 2;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line in-process with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("try 'modeltally " + (ex.getCommandLine().getCommandName().equals("modeltally") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help'");
            return UNREADABLE;
        });
        cl.setExecutionExceptionHandler((ex, c, parse) -> {
            err.println("error: internal error: " + ex);
            return UNREADABLE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"modeltally " + (v == null ? "dev" : v)};
        }
    }
}
