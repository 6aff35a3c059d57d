package zc.cli.bench;

import picocli.CommandLine.Command;

/** {@code zc bench}: benchmarks that write their tables for docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks, measured interleaved, reported as medians and ratios.",
        subcommands = {MatrixCommand.class, StartupCommand.class, OverheadCommand.class, ReceiveCommand.class,
                ContainersCommand.class, SoakCommand.class, VirtualThreadsCommand.class})
public final class BenchCommand {
}
