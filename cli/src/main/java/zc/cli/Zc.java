package zc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import zc.cli.ab.AbCommand;
import zc.cli.attach.AttachCommand;
import zc.cli.bench.BenchCommand;
import zc.cli.demo.DemoCommand;
import zc.cli.report.ReportCommand;
import zc.cli.survey.SurveyCommand;

/** {@code scripts/zc}: the command line of zc. */
@Command(name = "zc", mixinStandardHelpOptions = true, versionProvider = Zc.Version.class,
        description = "Finds Java copy loops and moves their bytes through the kernel's zero-copy paths; "
                + "measures what that changes.",
        subcommands = {DemoCommand.class, AbCommand.class, ReportCommand.class, SurveyCommand.class, AttachCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Zc {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, with zc's error handling: one line per failure, never a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Zc())
                .setParameterExceptionHandler(Zc::badUsage)
                .setExecutionExceptionHandler((e, cmd, parsed) -> failed(e, cmd));
        versionEverywhere(cl);
        return cl;
    }

    /** Every subcommand's -V/--version prints zc's version (picocli gives a subcommand none of its own). */
    private static void versionEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null && sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().versionProvider(new Version());
            }
            versionEverywhere(sub);
        }
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                + " (see --help)");
        return ExitCodes.USAGE;
    }

    private static int failed(Exception e, CommandLine cmd) {
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof ZcException z) {
            cmd.getErr().println(name + ": " + z.getMessage());
            return z.exitCode();
        }
        cmd.getErr().println(name + ": internal error: " + e
                + (System.getenv("ZC_DEBUG") == null ? " (set ZC_DEBUG=1 for details)" : ""));
        if (System.getenv("ZC_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return ExitCodes.FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Zc.class.getPackage().getImplementationVersion();
            return new String[] {"zc " + (v == null ? "(development build)" : v)};
        }
    }
}
