package zc.cli.survey;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.report.ReportWriter;
import zc.report.survey.MeasuredCosts;
import zc.report.survey.StatsFile;
import zc.report.survey.StatsFiles;
import zc.report.survey.Survey;

/** {@code zc survey}: one report over the agent statistics of many JVMs. */
@Command(name = "survey", mixinStandardHelpOptions = true,
        description = {"Reads the agent's statistics files of one service or a fleet (observe or rewrite mode) and "
                + "writes one offline HTML report and a JSON summary: every call site across all JVMs ranked by "
                + "the bytes that went through the application's original code, its status and what blocks it, "
                + "the reasons tallied, and an estimate of the CPU and system calls a rewrite would save.",
                "",
                "Folders are searched recursively for zc-agent-*.json (written by the agent's out=DIR option) and "
                        + "agent-stats.json (zc ab sessions)."},
        footer = {"", "Example:", "  scripts/zc survey /shared/zc-stats/ -o fleet.html     # also writes fleet.json"})
public final class SurveyCommand implements Callable<Integer> {
    /** Inputs from this many files on report their progress. */
    static final int PROGRESS_FROM = 200;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE-OR-FOLDER", arity = "1..*",
            description = "Agent statistics files, or folders to search recursively.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "zc-survey.html",
            description = "The HTML report (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--json", paramLabel = "FILE",
            description = "The JSON summary (default: the report's name with .json).")
    Path json;

    @Option(names = "--skip-invalid",
            description = "Leave out files that are not valid statistics (each named on stderr and in the report) "
                    + "instead of stopping at the first.")
    boolean skipInvalid;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files;
        try {
            files = StatsFiles.find(inputs);
        } catch (StatsFile.Invalid e) {
            throw new ZcException(ExitCodes.USAGE, e.getMessage());
        }
        Survey survey = new Survey(MeasuredCosts.ZERO_COPY_TABLE);
        int step = Math.max(PROGRESS_FROM / 2, files.size() / 10);
        if (files.size() >= PROGRESS_FROM) {
            err.println("zc survey: reading " + files.size() + " statistics files");
        }
        int read = 0;
        for (Path file : files) {
            try {
                survey.add(StatsFile.read(file));
            } catch (StatsFile.Invalid e) {
                if (!skipInvalid) {
                    throw new ZcException(ExitCodes.USAGE, e.getMessage() + " (--skip-invalid leaves such files out)");
                }
                err.println("zc survey: skipped " + e.getMessage());
                survey.skip(e.getMessage());
            }
            if (++read % step == 0 && files.size() >= PROGRESS_FROM) {
                err.println("zc survey: " + read + " of " + files.size() + " files read");
                err.flush();
            }
        }
        ObjectNode summary = survey.summary();
        if (summary.path("totals").path("files").asInt() == 0) {
            throw new ZcException(ExitCodes.USAGE, "no valid statistics file among the " + files.size() + " given");
        }
        Path jsonOut = json != null ? json : siblingJson(output);
        try {
            Files.writeString(jsonOut, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary),
                    StandardCharsets.UTF_8);
            Files.writeString(output, ReportWriter.forSurvey(summary), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "cannot write " + output + " or " + jsonOut + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("zc survey: " + summary.path("totals").path("files").asInt() + " JVM(s), "
                + summary.path("totals").path("sites").asInt() + " call site(s): " + output + ", " + jsonOut);
        return ExitCodes.OK;
    }

    private static Path siblingJson(Path html) {
        String name = html.getFileName().toString();
        String base = name.endsWith(".html") ? name.substring(0, name.length() - 5) : name;
        return html.resolveSibling(base + ".json");
    }
}
