package dev.modeltally.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code modeltally} command. Its subcommands are registered per run, not in the annotation: picocli
 * builds a command's model by reflection when it is registered, and its classes are Java 5 class files
 * that the class-data archive cannot hold, so a run builds only the subcommand it invokes (all of them
 * only for the overall help and for an unknown name, whose error lists them), and {@code --version}
 * alone is answered before picocli is touched. A plain {@code inspect} line (known options, values that
 * convert; see {@link PlainArgs}) is read without picocli at all: even one command's model costs about
 * 50 ms, a third of the run; every other line, help and usage errors included, goes to picocli.
 */
@Command(name = "modeltally", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Counts what is inside ONNX and Keras model files without running them.",
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

    /** Subcommand names, in the order the help lists them. */
    static final List<String> COMMANDS = List.of("inspect", "scan", "verify", "diff", "help");

    /** A new instance of the named subcommand, or null when there is none by that name. */
    static Object command(String name) {
        switch (name) {
            case "inspect": return new InspectCommand();
            case "scan": return new ScanCommand();
            case "verify": return new VerifyCommand();
            case "diff": return new DiffCommand();
            case "help": return new CommandLine.HelpCommand();
            default: return null;
        }
    }

    /** Runs a command line in-process with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println(new Version().getVersion()[0]);
            out.flush();
            return OK;
        }
        InspectCommand plain = args.length > 0 && args[0].equals("inspect") ? InspectCommand.plain(args) : null;
        if (plain != null) {
            WarmUp.start(plain.json);
            return runPlain(plain, out, err);
        }
        return runPicocli(args, out, err);
    }

    /** As picocli would run the command, with the handlers below. */
    private static int runPlain(InspectCommand command, PrintWriter out, PrintWriter err) {
        int code;
        try {
            code = command.run(out, err);
        } catch (Exception e) {
            err.println("error: internal error: " + e);
            code = UNREADABLE;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** Runs a command line through picocli (every line that {@link PlainArgs} does not read). */
    static int runPicocli(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        Object invoked = args.length == 0 || args[0].equals("help") ? null : command(args[0]);
        if (invoked != null) {
            cl.addSubcommand(args[0], invoked);
        } else {
            for (String name : COMMANDS) {
                cl.addSubcommand(name, command(name));
            }
        }
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
