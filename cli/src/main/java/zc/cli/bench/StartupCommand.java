package zc.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
 * {@code zc bench startup}: what zc-agent.jar adds to start-up. First real server applications (StartupApps: Spring
 * Boot, Jetty, the JDK's httpserver, and that one again with its own class-data archive), CPU and wall time to their
 * first HTTP 200, without an agent, with a no-op agent (the floor of any agent loaded that way), with zc in
 * mode=observe and in mode=rewrite (both with the bench's own rewrite cache, emptied at the start and filled by
 * unmeasured starts before the first round) and in mode=rewrite with the cache off (every start cold, as an
 * application's first), all loaded with {@code -agentlib:instrument=}, and the no-op agent and zc's rewrite again
 * with {@code -javaagent:} (AgentForm: the shorthand also turns off CDS's archived module graph); every round runs
 * each once per JDK, the order of the variants rotated. Then two generated applications, without the agent and with
 * it in both forms, the order rotated: a hello world (time from launch to main) and one that loads 5,000 classes, one
 * in ten holding a copy loop (time to load them all). Launch and main entry are stamped with System.nanoTime,
 * CLOCK_MONOTONIC, which is the same clock in both processes.
 */
@Command(name = "startup", mixinStandardHelpOptions = true, sortOptions = false,
        description = "CPU and wall time to the first HTTP 200 of real applications (no agent, no-op agent, observe, "
                + "rewrite, rewrite through the Java transformer instead of the hook in C, rewrite with the rewrite "
                + "cache off; agents loaded with -agentlib:instrument=, and the "
                + "no-op agent and rewrite again with -javaagent:), time to main and class-loading time; interleaved. "
                + "The first 200 serves a 1 MiB page, above zc's minBytes, so it goes by sendfile or mmap where zc "
                + "can.")
public final class StartupCommand implements Callable<Integer> {
    private static final int CLASSES = 5000;

    @Spec
    CommandSpec spec;

    @Option(names = "--runs", defaultValue = "15", paramLabel = "N",
            description = "Runs of hello world and the 5,000-class load without the agent and with it in both "
                    + "forms (the order rotated); 0 skips them. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--rounds", defaultValue = "10", paramLabel = "N",
            description = "Rounds of the server applications, each variant once per round. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--apps", defaultValue = "spring,jetty,httpserver,httpserver-archived", split = ",",
            paramLabel = "APP", description = "Server applications (none for hello world only): a Spring Boot fat "
                    + "jar, a Jetty 12 app, a JDK httpserver app, and that one with its own class-data archive "
                    + "(httpserver-archived: an AppCDS archive on JDK 17, an AOT cache on JDK 25, trained once). "
                    + "Default: ${DEFAULT-VALUE}.")
    List<String> apps;

    @Option(names = "--apps-dir", paramLabel = "DIR", description = "Where the startup-apps module put its jars. "
            + "Default: startup-apps/target next to this tool.")
    Path appsDir;

    @Option(names = "--jdks", split = ",", paramLabel = "JAVA",
            description = "java executables to run everything on, in turn within each round (a bare name is looked "
                    + "up on PATH). Default: --java.")
    List<Path> jdks;

    @Mixin
    BenchJvm jvm;

    @Option(names = "--agent-options", defaultValue = "", paramLabel = "OPTS",
            description = "zc's options after the jar, except mode, cache and hook, which the variants set (e.g. "
                    + "strategy=mmap or log=info).")
    String agentOptions;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the generated apps are compiled and cached "
            + "(default: the bench folder of $XDG_CACHE_HOME/zc, else of ~/.cache/zc).")
    Path work;

    @Override
    public Integer call() throws Exception {
        if (runs != 0 && runs < 3 || rounds < 1) {
            throw new ZcException(ExitCodes.USAGE, "--runs must be 0 or at least 3, --rounds at least 1");
        }
        List<String> appList = apps.equals(List.of("none")) ? List.of() : apps;
        if (appList.isEmpty() && runs == 0) {
            throw new ZcException(ExitCodes.USAGE, "nothing to measure: --apps none and --runs 0");
        }
        if (jdks != null && jvm.java != null) {
            throw new ZcException(ExitCodes.USAGE, "give --java or --jdks, not both (--jdks runs every JDK it names)");
        }
        if (work != null && Files.exists(work) && !Files.isDirectory(work)) {
            throw new ZcException(ExitCodes.USAGE, "--work " + work + ": not a directory");
        }
        if (work != null) {
            try {
                Files.createDirectories(work);
            } catch (java.io.IOException | RuntimeException e) {
                throw new ZcException(ExitCodes.USAGE, "--work " + work + ": not a directory that can be created ("
                        + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                        : e.getClass().getSimpleName()) + ")");
            }
        }
        for (String app : appList) {
            if (!StartupApps.NAMES.contains(app)) {
                throw new ZcException(ExitCodes.USAGE, "unknown app " + app + " (one of " + StartupApps.NAMES + ")");
            }
        }
        LaunchChecks.requireNoMode(agentOptions);
        BenchSetup setup = jvm.setup(3, work);
        Path cache = emptyCache(setup.work());
        List<Path> javas = new ArrayList<>();
        for (Path java : jdks == null || jdks.isEmpty() ? List.of(setup.java()) : jdks) {
            javas.add(LaunchChecks.executable(java, System.getenv("PATH")));
        }
        for (Path java : javas) {
            if (java.toString().isBlank() || !Files.isRegularFile(java) || !Files.isExecutable(java)) {
                throw new ZcException(ExitCodes.USAGE, (jdks != null ? "--jdks" : "--java") + ": no java at '" + java
                        + "'");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!appList.isEmpty()) {
            Path dir = appsDir != null ? appsDir : Path.of(System.getProperty("zc.home", "."), "startup-apps",
                    "target").toAbsolutePath();
            StartupApps servers = StartupApps.find(dir, setup.work(), appList);
            AppRuns measured = AppRuns.measure(setup, javas, servers, appList, rounds, agentOptions, cache, err);
            out.printf("zc bench startup: %d round(s), variants rotated; CPU (user + system) and wall time from launch "
                    + "to the first HTTP 200; %s%s%n%n", rounds, setup.agentJar().getFileName(), rounds < 5
                    ? "; with fewer than 5 rounds a median is one run or few, a sample, not a figure to compare" : "");
            out.print(measured.markdown());
            out.flush(); // before the next part's progress lines on stderr
        }
        for (Path java : runs == 0 ? List.<Path>of() : javas) {
            BenchSetup onJdk = new BenchSetup(java, setup.agentJar(), setup.work());
            Startup classic = measure(onJdk, agentOptions + (agentOptions.isBlank() ? "" : ",") + "cache=" + cache,
                    runs, err);
            out.printf("%nzc bench startup, hello world and %d classes: %d runs each, the order rotated; %s in "
                    + "mode=rewrite with its rewrite cache (filled by one unmeasured run); JDK %s%s%n%n", CLASSES, runs,
                    setup.agentJar().getFileName(), version(java), runs < 5
                    ? "; with fewer than 5 runs a median is one run or few, a sample, not a figure to compare" : "");
            out.print(classic.markdown());
            out.flush();
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * The bench's own rewrite cache ({@code cache=} in the agent's options), emptied: the first start of each
     * application and JDK fills it, so every bench measures the same cold first start and warm later ones.
     */
    static Path emptyCache(Path work) throws java.io.IOException {
        Path cache = work.resolve("rewrite-cache");
        Files.createDirectories(cache);
        try (java.util.stream.Stream<Path> entries = Files.list(cache)) {
            for (Path p : entries.toList()) {
                Files.delete(p);
            }
        }
        return cache;
    }

    /** Times in ns, one per run, of hello world's start to main and of the 5,000-class load. */
    record Runs(List<Long> hello, List<Long> load) {
        static Runs empty() {
            return new Runs(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Both apps' times: without an agent, with zc by {@code -agentlib:instrument=} and by {@code -javaagent:}. */
    record Startup(Runs plain, Runs agentlib, Runs javaagent) {

        /** Added to hello world's time to main with {@code -javaagent}, the costlier form. */
        double addedToMainMillis() {
            return (median(javaagent.hello()) - median(plain.hello())) / 1e6;
        }

        String markdown() {
            StringBuilder md = new StringBuilder();
            md.append("| measure | without agent (median) | zc, -agentlib:instrument (median) | added | ratio "
                    + "| zc, -javaagent (median) | added | ratio |\n");
            md.append("|---|---|---|---|---|---|---|---|\n");
            md.append(row("time to main, hello world", plain.hello(), agentlib.hello(), javaagent.hello()));
            md.append(row("loading " + CLASSES + " classes (" + CLASSES / 10 + " with a copy loop)", plain.load(),
                    agentlib.load(), javaagent.load()));
            md.append(String.format(Locale.ROOT, "%nspread (min-max, ms; without agent / -agentlib:instrument / "
                    + "-javaagent): hello %s / %s / %s; load %s / %s / %s%n",
                    range(plain.hello()), range(agentlib.hello()), range(javaagent.hello()), range(plain.load()),
                    range(agentlib.load()), range(javaagent.load())));
            return md.toString();
        }
    }

    static Startup measure(BenchSetup setup, String agentOptions, int runs, PrintWriter err) throws Exception {
        Path classes = GeneratedApps.ensure(setup.work(), CLASSES, err);
        List<List<String>> flags = List.of(List.of(),
                List.of(AgentForm.AGENTLIB.flag(setup.agentJar(), agentOptions)),
                List.of(AgentForm.JAVAAGENT.flag(setup.agentJar(), agentOptions)));
        Startup s = new Startup(Runs.empty(), Runs.empty(), Runs.empty());
        List<Runs> into = List.of(s.plain(), s.agentlib(), s.javaagent()); // in the order of flags
        // one unmeasured run fills the rewrite cache, so that no measured run is the one that writes it
        run(setup.java(), flags.get(1), classes, "LoadAll");
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < flags.size(); k++) {
                int v = (i + k) % flags.size(); // the order rotated run by run
                into.get(v).hello().add(run(setup.java(), flags.get(v), classes, "Hello")[0]);
                into.get(v).load().add(run(setup.java(), flags.get(v), classes, "LoadAll")[1]);
            }
            err.printf("start-up run %d/%d (%s)%n", i + 1, runs, setup.java());
            err.flush();
        }
        return s;
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
        String refused = flags.isEmpty() ? null : LaunchChecks.agentRefusal(output);
        if (refused != null) {
            throw new ZcException(ExitCodes.FAILED, "the agent did not load in " + main + ": " + refused.strip());
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

    private static String row(String what, List<Long> plain, List<Long> agent, List<Long> javaagent) {
        double a = median(plain) / 1e6;
        double b = median(agent) / 1e6;
        double c = median(javaagent) / 1e6;
        return String.format(Locale.ROOT,
                "| %s | %.1f ms | %.1f ms | %+.1f ms | %.2fx | %.1f ms | %+.1f ms | %.2fx |%n", what, a, b, b - a,
                b / a, c, c - a, c / a);
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
