package zc.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.proc.SystemFacts;
import zc.session.run.RunFailure;
import zc.session.soak.SoakRunner;
import zc.session.soak.SoakTable;

/**
 * {@code zc bench soak}: mixed downloads with aborts, resets, truncations and appends against the static-file demo
 * with zc-agent (sendfile and mmap), for minutes; then no leaked descriptors, mappings or threads and every
 * download intact, or a non-zero exit.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Mixed downloads with aborts, resets, truncations and appends against the static-file demo "
                + "with zc-agent (sendfile and mmap); then checks for leaked descriptors, mappings and threads and "
                + "corrupt downloads. Prints Markdown for docs/BENCHMARKS.md.")
public final class SoakCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", paramLabel = "M", defaultValue = "10",
            description = "How long the mixed load runs (decimals allowed: 0.5). Default: ${DEFAULT-VALUE}.")
    double minutes;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "8",
            description = "Client threads, spread over the two servers. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--recent", paramLabel = "DURATION", defaultValue = "1s",
            description = "The agent's recent option for both servers (0: off). Default: ${DEFAULT-VALUE}.")
    String recent;

    @Mixin
    BenchJvm jvm;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the served files and the servers' logs go. "
            + "Default: $XDG_CACHE_HOME/zc/soak or ~/.cache/zc/soak.")
    Path work;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || minutes > 24 * 60 || clients < 1 || clients > 256) {
            throw new ZcException(ExitCodes.USAGE, "--minutes must be in (0, 1440] and --clients in [1, 256]");
        }
        if (!recent.matches("\\d+(ms|s)?")) {
            throw new ZcException(ExitCodes.USAGE, "--recent must be a duration such as 0, 500ms or 5s");
        }
        BenchSetup setup = jvm.setup(3, work != null ? work : SystemFacts.cacheDir().resolve("soak"));
        PrintWriter err = spec.commandLine().getErr();
        SoakRunner.Config config = new SoakRunner.Config(setup.java(), setup.agentJar(),
                Path.of(System.getProperty("java.class.path")), setup.work(),
                Duration.ofMillis(Math.round(minutes * 60_000)), clients, recent);
        SoakRunner.Result result;
        try {
            result = new SoakRunner(config, line -> {
                err.println(line);
                err.flush();
            }).run();
        } catch (RunFailure e) {
            throw new ZcException(ExitCodes.FAILED, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(SoakTable.markdown(result, StartupCommand.version(setup.java())));
        out.flush();
        if (!result.passed()) {
            throw new ZcException(ExitCodes.FAILED, "the soak failed: see the table (corrupt or failed downloads, "
                    + "a leak, agent errors, or a server that died)");
        }
        return ExitCodes.OK;
    }
}
