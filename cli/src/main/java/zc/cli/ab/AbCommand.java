package zc.cli.ab;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.Platform;
import zc.cli.ZcException;
import zc.cli.report.ReportCommand;
import zc.proc.SystemFacts;
import zc.session.model.Session;

import zc.session.run.AbConfig;
import zc.session.run.AbRunner;
import zc.session.run.Readiness;
import zc.session.run.Workload;
import zc.session.stats.Comparison;

/** {@code zc ab}: the same application and workload, with and without the rewrite, measured in pairs. */
@Command(name = "ab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs an application as pairs of runs, A and B interleaved, each with zc-agent added through "
                    + "JAVA_TOOL_OPTIONS (A: mode=observe, B: mode=rewrite by default) and profiled with "
                    + "async-profiler; samples /proc while it runs; compares B with A per GiB moved.",
            "",
            "Workloads: the application runs to completion (default); --http drives GETs once it is ready; "
                    + "--workload runs a shell command against it once it is ready.",
            "",
            "Example: zc ab --pairs 3 --http http://127.0.0.1:8080/big.bin --concurrency 8 --requests 64 "
                    + "--ready-port 8080 -- java -jar server.jar"},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every run ok", "1:a run failed, or the session was interrupted (what was measured is kept)",
            "2:bad options", "3:this machine cannot run it"})
public final class AbCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pairs", defaultValue = "5", paramLabel = "N",
            description = "Pairs of runs (A then B). Default: ${DEFAULT-VALUE}.")
    int pairs;

    @Option(names = "--no-warmup", description = "Skip the warm-up run (a B run before the pairs, not counted).")
    boolean noWarmup;

    @Option(names = "--a", defaultValue = "mode=observe", paramLabel = "OPTS",
            description = "zc-agent options of side A. Default: ${DEFAULT-VALUE}.")
    String aOptions;

    @Option(names = "--b", defaultValue = "mode=rewrite", paramLabel = "OPTS",
            description = "zc-agent options of side B. Default: ${DEFAULT-VALUE}.")
    String bOptions;

    @Option(names = "--a-jvm", defaultValue = "", paramLabel = "FLAGS", description = "Extra JVM flags of side A.")
    String aJvm;

    @Option(names = "--b-jvm", defaultValue = "", paramLabel = "FLAGS", description = "Extra JVM flags of side B.")
    String bJvm;

    @Option(names = "--http", split = ",", paramLabel = "URL", description = "GET these URLs (round-robin).")
    List<String> urls;

    @Option(names = "--concurrency", defaultValue = "4", paramLabel = "C",
            description = "HTTP clients. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--duration", paramLabel = "D", description = "HTTP load per run, e.g. 10s, 2m. Default: 10s "
            + "unless --requests.")
    String duration;

    @Option(names = "--requests", defaultValue = "0", paramLabel = "R", description = "HTTP requests per run.")
    long requests;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Every HTTP body must have this SHA-256.")
    String sha256;

    @Option(names = "--workload", paramLabel = "CMD", description = "Shell command run against the ready app.")
    String workload;

    @Option(names = "--ready-port", paramLabel = "P", description = "The app is ready when 127.0.0.1:P accepts.")
    Integer readyPort;

    @Option(names = "--ready-log", paramLabel = "REGEX", description = "The app is ready when its output matches.")
    String readyLog;

    @Option(names = "--ready-timeout", defaultValue = "60s", paramLabel = "D",
            description = "Default: ${DEFAULT-VALUE}.")
    String readyTimeout;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "D",
            description = "Longest run before it is stopped and failed. Default: ${DEFAULT-VALUE}.")
    String timeout;

    @Option(names = "--label", paramLabel = "NAME", description = "Session name. Default: the command's name.")
    String label;

    @Option(names = "--out", paramLabel = "DIR", description = "Session folder. Default: zc-results/LABEL-TIME.")
    Path out;

    @Option(names = "--no-profile", description = "Run without async-profiler.")
    boolean noProfile;

    @Option(names = "--alloc", description = "Also record allocations (async-profiler alloc, in the JFR).")
    boolean alloc;

    @Option(names = "--wall", description = "Also record wall-clock samples (async-profiler wall, in the JFR).")
    boolean wall;

    @Option(names = "--syscalls", description = "Add one untimed run per side under strace -f -c, for exact "
            + "per-syscall counts (splice and sendfile included). Needs strace.")
    boolean syscalls;

    @Option(names = "--agent", paramLabel = "JAR", description = "zc-agent.jar. Default: the one built here.")
    Path agent;

    @Option(names = "--json", description = "Print session.json on stdout at the end.")
    boolean json;

    @Option(names = "--no-report", description = "Do not write report.html into the session folder.")
    boolean noReport;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The application's command line, after --. Each argument is passed as is (no shell).")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        Platform.requireLinux();
        AbConfig config = config();
        PrintWriter err = spec.commandLine().getErr();
        Files.createDirectories(config.dir());
        err.println("zc ab: session in " + config.dir());
        err.flush();
        boolean terminal = System.console() != null;
        AbRunner runner = new AbRunner(config, SystemFacts.cacheDir(), line -> {
            synchronized (err) {
                err.print(terminal ? "\r\033[K" : "");
                err.println(line);
                err.flush();
            }
        });
        Thread ticker = terminal ? ticker(runner, err) : null;
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.abort();
            try {
                finished.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "zc-ab-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        Session session;
        try {
            session = runner.run();
        } finally {
            finished.countDown();
            if (ticker != null) {
                ticker.interrupt();
                err.print("\r\033[K");
                err.flush();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and the session is written
        }
        if (!noReport) {
            ReportCommand.write(config.dir(), config.dir().resolve("report.html"));
        }
        PrintWriter outw = spec.commandLine().getOut();
        if (json) {
            outw.println(Files.readString(config.dir().resolve("session.json")));
        } else {
            summary(outw, session, config.dir());
        }
        outw.flush();
        return session.complete() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** On a terminal, a progress bar redrawn twice a second with the current run and its time. */
    private static Thread ticker(AbRunner runner, PrintWriter err) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(500);
                    synchronized (err) {
                        int filled = (int) Math.round(runner.done() * 20);
                        err.print("\r\033[K  [" + "#".repeat(filled) + "-".repeat(20 - filled) + "] "
                                + runner.status());
                        err.flush();
                    }
                }
            } catch (InterruptedException e) {
                // the session ended
            }
        }, "zc-ab-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void summary(PrintWriter out, Session s, Path dir) {
        out.println();
        out.println("zc ab: " + s.label() + " - " + s.workload());
        for (Comparison c : s.comparisons()) {
            out.printf(Locale.ROOT, "  %-27s A %12s  B %12s  %s%n", c.metric(), num(c.a().median()) + " " + c.unit(),
                    num(c.b().median()) + " " + c.unit(), c.verdict());
        }
        if (s.syscalls() != null) {
            s.syscalls().forEach((side, calls) -> out.println("  strace " + side + ": " + calls.entrySet().stream()
                    .limit(6).map(e -> e.getKey() + " " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))));
        }
        for (String w : s.warnings()) {
            out.println("  warning: " + w);
        }
        if (s.error() != null) {
            out.println("  incomplete: " + s.error());
        }
        out.println("  session: " + dir.resolve("session.json"));
        if (Files.isRegularFile(dir.resolve("report.html"))) {
            out.println("  report:  " + dir.resolve("report.html"));
        }
    }

    private static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private AbConfig config() {
        if (pairs < 1) {
            throw usage("--pairs must be at least 1");
        }
        Workload w = workload();
        Readiness ready = readiness();
        if (!(w instanceof Workload.AppRuns) && !ready.needed()) {
            throw usage("--http and --workload need --ready-port or --ready-log, to know when the app is ready");
        }
        Path jar = agent != null ? agent : Platform.agentJar();
        if (!Files.isRegularFile(jar)) {
            throw usage("no agent jar at " + jar + " (build it, or pass --agent)");
        }
        String name = label != null ? label : Path.of(command.get(0)).getFileName().toString()
                .replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = out != null ? out : Path.of("zc-results",
                name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        dir = dir.toAbsolutePath();
        if (dir.toString().matches(".*\\s.*") || jar.toAbsolutePath().toString().matches(".*\\s.*")) {
            throw usage("the session folder and the agent jar must have no spaces in their paths "
                    + "(JAVA_TOOL_OPTIONS splits on them): " + dir);
        }
        for (String opts : List.of(aOptions, bOptions)) {
            if (opts.matches(".*\\s.*")) {
                throw usage("agent options have no spaces: '" + opts + "'");
            }
        }
        Path strace = null;
        if (syscalls) {
            strace = Platform.onPath("strace");
            if (strace == null) {
                throw new ZcException(ExitCodes.UNSUPPORTED, "--syscalls needs strace (apt-get install strace)");
            }
        }
        String events = (alloc ? ",alloc" : "") + (wall ? ",wall=10ms" : "");
        return new AbConfig(List.copyOf(command), pairs, !noWarmup, aOptions, bOptions, aJvm, bJvm, w, ready, dir,
                name, !noProfile, jar.toAbsolutePath(), parseDuration("--timeout", timeout), strace, events);
    }

    private Workload workload() {
        if (urls != null && workload != null) {
            throw usage("--http and --workload exclude each other");
        }
        if (urls != null) {
            List<URI> uris = new ArrayList<>();
            for (String u : urls) {
                try {
                    URI uri = new URI(u);
                    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                        throw usage("--http " + u + " is not an http:// URL");
                    }
                    uris.add(uri);
                } catch (java.net.URISyntaxException e) {
                    throw usage("--http " + u + " is not a URL");
                }
            }
            if (concurrency < 1) {
                throw usage("--concurrency must be at least 1");
            }
            if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
                throw usage("--sha256 takes 64 hex digits");
            }
            Duration d = duration != null ? parseDuration("--duration", duration) : Duration.ofSeconds(10);
            return new Workload.Http(uris, concurrency, d, Math.max(0, requests), sha256);
        }
        if (workload != null) {
            return new Workload.Command(workload);
        }
        return new Workload.AppRuns();
    }

    private Readiness readiness() {
        Pattern log = null;
        if (readyLog != null) {
            try {
                log = Pattern.compile(readyLog);
            } catch (PatternSyntaxException e) {
                throw usage("--ready-log '" + readyLog + "' is not a regular expression");
            }
        }
        if (readyPort != null && (readyPort < 1 || readyPort > 65535)) {
            throw usage("--ready-port must be 1-65535");
        }
        return new Readiness(readyPort, log, parseDuration("--ready-timeout", readyTimeout));
    }

    static Duration parseDuration(String option, String text) {
        java.util.regex.Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(text.strip());
        if (!m.matches()) {
            throw usage(option + " '" + text + "' is not a duration (e.g. 500ms, 10s, 2m)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static ZcException usage(String message) {
        return new ZcException(ExitCodes.USAGE, message);
    }
}
