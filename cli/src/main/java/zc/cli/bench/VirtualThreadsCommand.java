package zc.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.cli.demo.DemoCommand;
import zc.demo.harness.Sizes;
import zc.proc.ProcStat;
import zc.session.matrix.JitThreads;
import zc.session.model.Sessions;

/**
 * {@code zc bench virtual-threads}: a server with a virtual thread per connection and a copy loop, on a few carrier
 * threads, serving many rate-limited slow clients (their threads park and wake all the time) while fast clients
 * download; mode=off vs mode=rewrite, alternating in rounds. A send that held its carrier would starve the fast
 * clients; the figures say whether zc serves them as fast as without it.
 */
@Command(name = "virtual-threads", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A virtual thread per connection on a few carriers: many rate-limited slow clients and a few "
                + "fast ones, mode=off vs mode=rewrite, interleaved in rounds; medians and per-round ratios of the "
                + "fast downloads' throughput and latency and the server's CPU per GiB. Needs a JDK 21+ --java.",
            "Prints Markdown; --write puts it into a file between markers."})
public final class VirtualThreadsCommand implements Callable<Integer> {
    private static final List<String> MODES = List.of("off", "rewrite");
    private static final double GIB = 1L << 30;

    @Spec
    CommandSpec spec;

    @Option(names = "--slow-clients", paramLabel = "N", defaultValue = "1000",
            description = "Rate-limited clients, each on its own server thread. Default: ${DEFAULT-VALUE}.")
    int slowClients;

    @Option(names = "--slow-read", paramLabel = "SIZE", defaultValue = "4k", converter = DemoCommand.SizeConverter.class,
            description = "What a slow client reads at most per interval. Default: ${DEFAULT-VALUE}.")
    long slowRead;

    @Option(names = "--slow-interval", paramLabel = "MS", defaultValue = "50",
            description = "Milliseconds between a slow client's reads. Default: ${DEFAULT-VALUE}.")
    int slowInterval;

    @Option(names = "--fast-clients", paramLabel = "N", defaultValue = "4",
            description = "Concurrent fast clients. Default: ${DEFAULT-VALUE}.")
    int fastClients;

    @Option(names = "--fast-size", paramLabel = "SIZE", defaultValue = "16m", converter = DemoCommand.SizeConverter.class,
            description = "The fast clients' file. Default: ${DEFAULT-VALUE}.")
    long fastSize;

    @Option(names = "--downloads", paramLabel = "N", defaultValue = "64",
            description = "Fast downloads measured per run. Default: ${DEFAULT-VALUE}.")
    int downloads;

    @Option(names = "--carriers", paramLabel = "N", defaultValue = "4",
            description = "Carrier threads (jdk.virtualThreadScheduler.parallelism and maxPoolSize). "
                    + "Default: ${DEFAULT-VALUE}.")
    int carriers;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
            description = "Rounds, each one run per mode, alternating which goes first. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Mixin
    BenchJvm jvm;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the app, the files and the servers' logs go. "
            + "Default: $XDG_CACHE_HOME/zc/bench or ~/.cache/zc/bench.")
    Path work;

    @Mixin
    BenchOutput output;

    /** One run: a mode's server, its slow clients, and the measured fast downloads. */
    record Run(String mode, int round, long fastBytes, long wallNanos, double latencyMedianMillis,
               double latencyP90Millis, long cpuNanos, long jitNanos, long slowBytes) {
        double fastMbPerSecond() {
            return fastBytes / 1e6 / (wallNanos / 1e9);
        }

        /** Server CPU (without JIT threads) per GiB it sent in the measured phase, fast and slow. */
        double cpuMillisPerGib() {
            return cpuNanos / 1e6 * GIB / (fastBytes + slowBytes);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (slowClients < 0 || slowClients > 10_000 || fastClients < 1 || fastClients > 64 || downloads < fastClients
                || carriers < 1 || slowInterval < 1 || slowRead < 1 || slowRead > (1 << 20) || fastSize < 1
                || fastSize > (1L << 30)) {
            throw new ZcException(ExitCodes.USAGE, "--slow-clients must be in [0, 10000], --fast-clients in [1, 64], "
                    + "--downloads at least --fast-clients, --carriers and --slow-interval positive, --slow-read in "
                    + "[1, 1m], --fast-size in [1, 1g]");
        }
        if (rounds < 3) {
            throw new ZcException(ExitCodes.USAGE, "--rounds must be at least 3");
        }
        BenchSetup setup = jvm.setup(rounds, work);
        String version = StartupCommand.version(setup.java());
        if (major(version) < 21) {
            throw new ZcException(ExitCodes.USAGE, "--java must be JDK 21 or later (virtual threads), not: " + version);
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dir = setup.work().resolve("virtual-threads");
        Files.createDirectories(dir);
        Path classes = SlowClientsServer.app(setup.work());
        byte[] slow = content(1, 16 << 20);
        byte[] fast = content(2, (int) fastSize);
        Path slowFile = Files.write(dir.resolve("slow.bin"), slow);
        Path fastFile = Files.write(dir.resolve("fast.bin"), fast);
        List<Run> runs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (int k = 0; k < 2; k++) {
                String mode = MODES.get((round + k + 1) % 2);
                Run r = run(setup, classes, dir, mode, round, slowFile, fastFile, slow, fast, err);
                runs.add(r);
                err.printf(Locale.ROOT, "round %d/%d %s: fast %.0f MB/s, latency %.0f ms, server CPU %.0f ms/GiB, "
                        + "slow clients %.1f MB/s%n", round, rounds, mode, r.fastMbPerSecond(), r.latencyMedianMillis(),
                        r.cpuMillisPerGib(), r.slowBytes() / 1e6 / (r.wallNanos() / 1e9));
                err.flush();
            }
        }
        String md = markdown(runs, version, major(version));
        // one section per JDK: a run on another JDK keeps the others'
        String marker = "<!-- zc bench virtual-threads, JDK " + major(version);
        output.publish(spec.commandLine().getOut(), err, md, runs, marker + ": begin (generated, do not edit) -->",
                marker + ": end -->");
        return ExitCodes.OK;
    }

    private Run run(BenchSetup setup, Path classes, Path dir, String mode, int round, Path slowFile, Path fastFile,
                    byte[] slow, byte[] fast, PrintWriter err) throws Exception {
        Path stats = dir.resolve("stats-" + mode + "-" + round);
        deleteTree(stats);
        List<String> jvmArgs = List.of(setup.java().toString(), "-Xms512m", "-Xmx512m",
                "-Djdk.virtualThreadScheduler.parallelism=" + carriers,
                "-Djdk.virtualThreadScheduler.maxPoolSize=" + carriers,
                "-javaagent:" + setup.agentJar() + "=mode=" + mode + ",out=" + stats);
        Run r;
        try (SlowClientsServer server = SlowClientsServer.start(jvmArgs, classes, slowFile, fastFile,
                dir.resolve("server-" + mode + "-" + round + ".log"))) {
            err.printf("round %d/%d %s: connecting %d slow clients ...%n", round, rounds, mode, slowClients);
            err.flush();
            try (SlowClients slowOnes = new SlowClients(server.address, slow, slowClients, (int) slowRead,
                    slowInterval)) {
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (!slowOnes.allReceiving() && slowOnes.failure() == null && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                failIf(slowOnes.failure(), server);
                if (!slowOnes.allReceiving()) {
                    throw new ZcException(ExitCodes.FAILED, "not every slow client was served within 2 minutes ("
                            + mode + ")");
                }
                fast(server, fast, 2 * fastClients, mode); // warm-up
                long cpu0 = cpu(server.pid);
                long jit0 = JitThreads.cpuNs(server.pid);
                long slow0 = slowOnes.bytes();
                FastDownloads.Result f = fast(server, fast, downloads, mode);
                long slowBytes = slowOnes.bytes() - slow0;
                long jit = JitThreads.cpuNs(server.pid) - jit0;
                long cpu = cpu(server.pid) - cpu0 - jit;
                failIf(slowOnes.failure(), server);
                List<Long> lat = f.latencyNanos().stream().sorted().toList();
                r = new Run(mode, round, f.bytes(), f.wallNanos(), StartupCommand.median(lat) / 1e6,
                        lat.get((int) Math.ceil(lat.size() * 0.9) - 1) / 1e6, Math.max(0, cpu), jit, slowBytes);
            }
        }
        if (mode.equals("rewrite") && sendfileBytes(stats) == 0) {
            throw new ZcException(ExitCodes.FAILED, "the rewrite sent nothing by sendfile (see " + stats + ")");
        }
        return r;
    }

    private FastDownloads.Result fast(SlowClientsServer server, byte[] fast, int n, String mode) throws Exception {
        try {
            return FastDownloads.run(server.address, fast, fastClients, n);
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "mode=" + mode + ": " + e.getMessage()
                    + (server.alive() ? "" : " (the server died)"));
        }
    }

    private static void failIf(String failure, SlowClientsServer server) {
        if (failure != null || !server.alive()) {
            throw new ZcException(ExitCodes.FAILED, failure != null ? failure : "the server died");
        }
    }

    /** The server process's CPU (user + system) from /proc, all threads. */
    private static long cpu(long pid) throws IOException {
        ProcStat s = ProcStat.read(Path.of("/proc", String.valueOf(pid), "stat"));
        return s.utimeNs() + s.stimeNs();
    }

    private static long sendfileBytes(Path stats) throws IOException {
        long sum = 0;
        if (!Files.isDirectory(stats)) {
            return 0;
        }
        try (var files = Files.list(stats)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                for (var site : Sessions.json().readTree(p.toFile()).path("sites")) {
                    sum += site.path("bytes").path("sendfile").asLong();
                }
            }
        }
        return sum;
    }

    private String markdown(List<Run> runs, String version, int major) {
        StringBuilder md = new StringBuilder("#### Slow clients on virtual threads, JDK " + major
                + " (`zc bench virtual-threads`)\n\n");
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        List<String> args = all.subList(all.indexOf("virtual-threads") + 1, all.size());
        md.append(String.format(Locale.ROOT, "Measured %s with `scripts/zc bench virtual-threads%s`, server on %s: "
                        + "a virtual thread per connection copying the file with a 32 KiB read/write loop, on %d "
                        + "carrier threads (`-Djdk.virtualThreadScheduler.parallelism=%d`, `maxPoolSize=%d`); %d slow "
                        + "clients over loopback, each reading at most %s every %d ms with a 16 KiB receive buffer "
                        + "(a 16 MiB file, started again when done); meanwhile %d fast clients download a %s file "
                        + "%d times, a new connection each, every byte checked. %d rounds, mode=off and mode=rewrite "
                        + "alternating which runs first, a fresh server per run, warmed up by %d downloads. CPU is the "
                        + "server process's (/proc, without its JIT threads) per GiB it sent while the fast clients "
                        + "ran, fast and slow bytes together.%n%n",
                Instant.now().toString().substring(0, 10), args.isEmpty() ? "" : " " + String.join(" ", args),
                version, carriers, carriers, carriers, slowClients, Sizes.format(slowRead), slowInterval,
                fastClients, Sizes.format(fastSize), downloads, rounds, 2 * fastClients));
        md.append("| mode | fast clients MB/s | download latency, median | p90 | server CPU ms/GiB | slow clients MB/s |\n");
        md.append("|---|--:|--:|--:|--:|--:|\n");
        for (String mode : MODES) {
            List<Run> rs = runs.stream().filter(r -> r.mode().equals(mode)).toList();
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %.0f ms | %.0f ms | %,.0f | %.1f |%n", mode,
                    median(rs, Run::fastMbPerSecond), median(rs, Run::latencyMedianMillis),
                    median(rs, Run::latencyP90Millis), median(rs, Run::cpuMillisPerGib),
                    median(rs, r -> r.slowBytes() / 1e6 / (r.wallNanos() / 1e9))));
        }
        md.append(String.format(Locale.ROOT, "%nrewrite / off, median of the per-round ratios (range): fast clients' "
                        + "throughput %s, download latency %s, server CPU per GiB %s.%n%n",
                ratio(runs, Run::fastMbPerSecond), ratio(runs, Run::latencyMedianMillis),
                ratio(runs, Run::cpuMillisPerGib)));
        return md.toString();
    }

    private static String ratio(List<Run> runs, ToDoubleFunction<Run> f) {
        List<Double> ratios = new ArrayList<>();
        for (Run r : runs) {
            if (r.mode().equals("rewrite")) {
                runs.stream().filter(o -> o.mode().equals("off") && o.round() == r.round()).findFirst()
                        .ifPresent(o -> ratios.add(f.applyAsDouble(r) / f.applyAsDouble(o)));
            }
        }
        List<Double> s = ratios.stream().sorted().toList();
        return String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", medianOf(s), s.get(0), s.get(s.size() - 1));
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> f) {
        return medianOf(runs.stream().map(f::applyAsDouble).sorted().toList());
    }

    private static double medianOf(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static byte[] content(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** The feature release of a {@code java -version} line: 17 of "17.0.21", 25 of "25.0.3", 8 of "1.8.0". */
    static int major(String versionLine) {
        Matcher m = Pattern.compile("\"(1\\.)?(\\d+)").matcher(versionLine);
        return m.find() ? Integer.parseInt(m.group(2)) : 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
