package zc.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.report.ReportWriter;

/** {@code zc report}: the HTML report of an A/B session. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Writes one self-contained HTML report (no network request, opens anywhere) of an A/B "
                + "session folder made by zc ab.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SESSION-DIR", description = "The session folder (it holds session.json).")
    Path dir;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Default: SESSION-DIR/report.html.")
    Path output;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(dir.resolve("session.json"))) {
            throw new ZcException(ExitCodes.USAGE, dir + " is not a session folder (no session.json in it)");
        }
        Path out = output != null ? output : dir.resolve("report.html");
        write(dir, out);
        spec.commandLine().getOut().println("zc report: " + out);
        return ExitCodes.OK;
    }

    /** Writes the report of a session; a failure is one line. */
    public static void write(Path session, Path out) {
        try {
            Files.writeString(out, ReportWriter.forSession(session), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ZcException(ExitCodes.FAILED, "cannot write the report " + out + ": " + e.getMessage());
        }
    }
}
