package zc.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import zc.session.model.Sessions;

/** Where a {@code zc bench} command puts its results besides stdout: a Markdown file's section, and JSON. */
final class BenchOutput {
    @Option(names = "--write", paramLabel = "FILE", description = "Also put the Markdown into FILE (e.g. "
            + "docs/BENCHMARKS.md), replacing what an earlier run put there, or appending.")
    Path write;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every run's figures as JSON.")
    Path json;

    /** Prints the Markdown, writes the runs as JSON and the Markdown between the markers, as asked. */
    void publish(PrintWriter out, PrintWriter err, String md, Object runs, String begin, String end)
            throws IOException {
        out.print(md);
        out.flush();
        if (json != null) {
            Sessions.json().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), runs);
        }
        if (write != null) {
            MarkdownSection.writeInto(write, begin, end, md);
            err.println("wrote the results into " + write);
        }
    }
}
