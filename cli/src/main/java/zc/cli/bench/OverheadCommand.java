package zc.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;

/**
 * {@code zc bench overhead}: a fixed workload without any copy loop (hashing, channel I/O, string building), run
 * without the agent, with mode=observe and with mode=rewrite, rotating the order each round; the time of the
 * workload (after main starts) should not tell them apart.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The agent's cost on an application without copy loops: no agent, observe, rewrite.")
public final class OverheadCommand implements Callable<Integer> {
    private static final List<String> VARIANTS = List.of("no agent", "mode=observe", "mode=rewrite");

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "15", paramLabel = "N", description = "Runs of each. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Mixin
    BenchJvm jvm;


    @Override
    public Integer call() throws Exception {
        BenchSetup setup = jvm.setup(runs, null);
        Path javaBin = setup.java();
        Path jar = setup.agentJar();
        PrintWriter err = spec.commandLine().getErr();
        Path classes = GeneratedApps.ensure(setup.work(), 5000, err);
        List<List<Long>> phases = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < 3; k++) {
                int v = (i + k) % 3;
                List<String> flags = v == 0 ? List.of() : List.of("-javaagent:" + jar + "=" + VARIANTS.get(v));
                phases.get(v).add(StartupCommand.run(javaBin, flags, classes, "Work")[1]);
            }
            err.printf("run %d/%d%n", i + 1, runs);
            err.flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("zc bench overhead: %d runs each, order rotated; JDK %s%n%n", runs, StartupCommand.version(javaBin));
        out.println("| variant | workload time (median) | spread (min-max) | against no agent |");
        out.println("|---|---|---|---|");
        double base = StartupCommand.median(phases.get(0));
        for (int v = 0; v < 3; v++) {
            double m = StartupCommand.median(phases.get(v));
            out.printf(Locale.ROOT, "| %s | %.1f ms | %s ms | %.3fx |%n", VARIANTS.get(v), m / 1e6,
                    StartupCommand.range(phases.get(v)), m / base);
        }
        return ExitCodes.OK;
    }
}
