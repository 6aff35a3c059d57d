package zc.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/**
 * {@code zc bench startup}: what {@code -javaagent:zc-agent.jar} adds to start-up. Two generated applications run
 * alternately with and without the agent: a hello world (time from launch to main) and one that loads 5,000 classes,
 * one in ten holding a copy loop (time to load them all). Launch and main entry are stamped with System.nanoTime,
 * CLOCK_MONOTONIC, which is the same clock in both processes.
 */
@Command(name = "startup", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time to main and class-loading time, with and without zc-agent.jar, interleaved.")
public final class StartupCommand implements Callable<Integer> {
    private static final int CLASSES = 5000;

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "15", paramLabel = "N",
            description = "Runs of each variant (alternating). Default: ${DEFAULT-VALUE}.")
    int runs;

    @Mixin
    BenchJvm jvm;


    @Option(names = "--agent-options", defaultValue = "", paramLabel = "OPTS",
            description = "Options after the jar (e.g. mode=observe).")
    String agentOptions;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the generated apps are compiled and cached. "
            + "Default: $XDG_CACHE_HOME/zc/bench or ~/.cache/zc/bench.")
    Path work;

    @Override
    public Integer call() throws Exception {
        BenchSetup setup = jvm.setup(runs, work);
        Path javaBin = setup.java();
        Path jar = setup.agentJar();
        PrintWriter err = spec.commandLine().getErr();
        Path classes = GeneratedApps.ensure(setup.work(), CLASSES, err);
        String agentFlag = "-javaagent:" + jar + (agentOptions.isBlank() ? "" : "=" + agentOptions);

        List<Long> helloPlain = new ArrayList<>();
        List<Long> helloAgent = new ArrayList<>();
        List<Long> loadPlain = new ArrayList<>();
        List<Long> loadAgent = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            boolean agentFirst = i % 2 == 1;
            for (int k = 0; k < 2; k++) {
                boolean withAgent = (k == 0) == agentFirst;
                List<String> flags = withAgent ? List.of(agentFlag) : List.of();
                (withAgent ? helloAgent : helloPlain).add(run(javaBin, flags, classes, "Hello")[0]);
                (withAgent ? loadAgent : loadPlain).add(run(javaBin, flags, classes, "LoadAll")[1]);
            }
            err.printf("run %d/%d%n", i + 1, runs);
            err.flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("zc bench startup: %d runs each, alternating; %s; JDK %s%n", runs, jar.getFileName(),
                version(javaBin));
        out.println();
        out.println("| measure | without agent (median) | with agent (median) | added | ratio |");
        out.println("|---|---|---|---|---|");
        row(out, "time to main, hello world", helloPlain, helloAgent);
        row(out, "loading " + CLASSES + " classes (" + CLASSES / 10 + " with a copy loop)", loadPlain, loadAgent);
        out.println();
        out.printf("spread (min-max, ms): hello %s / %s; load %s / %s%n", range(helloPlain), range(helloAgent),
                range(loadPlain), range(loadAgent));
        return ExitCodes.OK;
    }

    /** Runs one app; returns {time to main, time of its measured phase} in ns. */
    static long[] run(Path java, List<String> flags, Path classes, String main) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-Xshare:auto", "-cp", classes.toString(), main));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        long launched = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new ZcException(ExitCodes.FAILED, main + " failed: " + output.strip());
        }
        long mainEntered = -1;
        long phase = 0;
        for (String line : output.split("\n")) {
            if (line.startsWith("main ")) {
                mainEntered = Long.parseLong(line.substring(5).trim());
            } else if (line.startsWith("phase ")) {
                phase = Long.parseLong(line.substring(6).trim());
            }
        }
        if (mainEntered < 0) {
            throw new ZcException(ExitCodes.FAILED, main + " printed no time stamp: " + output.strip());
        }
        return new long[] {mainEntered - launched, phase};
    }

    private static void row(PrintWriter out, String what, List<Long> plain, List<Long> agent) {
        double a = median(plain) / 1e6;
        double b = median(agent) / 1e6;
        out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %+.1f ms | %.2fx |%n", what, a, b, b - a, b / a);
    }

    static String range(List<Long> v) {
        long[] s = v.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f-%.0f", s[0] / 1e6, s[s.length - 1] / 1e6);
    }

    static double median(List<Long> values) {
        long[] s = values.stream().mapToLong(Long::longValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    static String version(Path java) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return Arrays.stream(out.split("\n")).filter(l -> l.contains("version")).findFirst().orElse("?").strip();
    }
}
