package zc.cli.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a {@code zc bench} command puts its results besides stdout: a Markdown file's section, and JSON. */
final class BenchOutput {
    @Option(names = "--write", paramLabel = "FILE", description = "Also put the Markdown into FILE (e.g. "
            + "docs/BENCHMARKS.md), replacing what an earlier run put there, or appending.")
    Path write;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every run's figures as JSON.")
    Path json;
}
