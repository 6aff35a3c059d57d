package zc.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import zc.cli.ExitCodes;
import zc.cli.Platform;
import zc.cli.ZcException;
import zc.demo.harness.Sizes;
import zc.proc.NicFeatures;
import zc.demo.strategy.Strategy;
import zc.proc.SystemFacts;
import zc.session.proc.StraceCensus;

/** {@code zc demo}: every strategy of the zero-copy table, run interleaved and measured. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Sends one test file with each zero-copy strategy, sender and receiver in separate JVMs over loopback "
                    + "TCP, and prints the classic zero-copy table: the model of each strategy beside the "
                    + "counters measured per GiB.",
            "",
            "Strategies: read-write, mmap-write, sendfile, sendfile-gather, splice, file-read-write, file-transfer."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every run ok", "1:a run failed or its bytes did not match",
            "2:bad options", "3:this machine cannot run it (not Linux, no room, strace missing)"})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "256m", converter = SizeConverter.class,
            description = "Size of the test file (4096, 64k, 256m, 1g...). Default: ${DEFAULT-VALUE}.")
    long size;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", description = "Rounds; each runs every strategy once, "
            + "interleaved (a b c a b c...). Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--strategies", split = ",", paramLabel = "ID",
            description = "Strategies to run, comma-separated. Default: all seven.")
    List<String> strategies;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every run's counters as JSON.")
    Path json;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the table as an HTML report.")
    Path report;

    @Option(names = "--syscalls", description = "Add an untimed pass per strategy under strace -f -c for exact "
            + "per-syscall counts (the only way to see splice). Needs strace.")
    boolean syscalls;

    @Option(names = "--buffer", paramLabel = "SIZE", defaultValue = "64k", converter = SizeConverter.class,
            description = "Buffer of the read/write loops. Default: ${DEFAULT-VALUE}.")
    long buffer;

    @Option(names = "--chunk", paramLabel = "SIZE", defaultValue = "0", converter = SizeConverter.class,
            description = "mmap-write maps regions of this size; 0 maps the whole file. Default: ${DEFAULT-VALUE}.")
    long chunk;

    @Option(names = "--pipe", paramLabel = "SIZE", defaultValue = "1m", converter = SizeConverter.class,
            description = "splice's pipe size. Default: ${DEFAULT-VALUE}.")
    long pipe;

    @Option(names = "--cache", paramLabel = "DIR", description = "Where test files are kept between runs. "
            + "Default: $XDG_CACHE_HOME/zc or ~/.cache/zc.")
    Path cache;

    @Option(names = "--java", paramLabel = "PATH", description = "java binary of the demo JVMs (JDK 17+). "
            + "Default: the one running zc.")
    Path java;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address the receivers bind and the senders connect to. Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--receiver-netns", paramLabel = "NAME",
            description = "Run receivers in this network namespace (ip netns exec; root). See scripts/sg-veth.sh.")
    String receiverNetns;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() {
        Platform.requireLinux();
        List<Strategy> chosen = chosenStrategies();
        if (rounds < 1) {
            throw new ZcException(ExitCodes.USAGE, "--rounds must be at least 1");
        }
        if (size < 1) {
            throw new ZcException(ExitCodes.USAGE, "--size must be positive");
        }
        if (buffer < 1 || buffer > Integer.MAX_VALUE - 8) {
            throw new ZcException(ExitCodes.USAGE, "--buffer must be between 1 byte and 2 GiB");
        }
        if (pipe < 4096 || pipe > Integer.MAX_VALUE) {
            throw new ZcException(ExitCodes.USAGE, "--pipe must be between 4k and 2 GiB");
        }
        Path strace = syscalls ? requireStrace() : null;
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, System.console() != null, quiet);
        Path cacheDir = cache != null ? cache : SystemFacts.cacheDir();
        long copies = chosen.stream().anyMatch(s -> !s.network()) ? size : 0;
        Path file = TestFile.ensure(cacheDir, size, copies, progress);
        TestFile.warm(file, progress);

        DemoLauncher launcher = new DemoLauncher(setup(cacheDir));
        Map<String, List<DemoRun>> runs = new LinkedHashMap<>();
        chosen.forEach(s -> runs.put(s.id(), new ArrayList<>()));
        Map<String, Map<String, Long>> census = new LinkedHashMap<>();
        String failure = null;
        try {
            for (int round = 1; round <= rounds; round++) {
                for (Strategy s : chosen) {
                    DemoRun run = launcher.run(s, round, file, size);
                    runs.get(s.id()).add(run);
                    progress.line(String.format(Locale.ROOT, "round %d/%d  %-16s %,8.0f MB/s  %s", round, rounds,
                            s.id(), run.sender().bytes() * 1e3 / run.sender().counters().wallNs(), run.integrity()));
                    if (!run.ok()) {
                        err.println("zc demo: INTEGRITY FAILURE: " + s.id() + " round " + round + ": "
                                + run.integrity());
                    }
                }
            }
            if (strace != null) {
                for (Strategy s : chosen) {
                    progress.line("strace pass: " + s.id());
                    census.put(s.id(), census(launcher, s, file, strace, cacheDir));
                }
            }
        } catch (DemoFailure e) {
            failure = e.getMessage();
            throw e;
        } finally {
            writeJson(document(runs, census, failure, null));
        }
        PrintWriter out = spec.commandLine().getOut();
        Environment env = environment(runs, file);
        if (report != null) {
            try {
                Files.writeString(report, zc.report.ReportWriter.forDemo(
                        new ObjectMapper().valueToTree(document(runs, census, null, env))));
            } catch (IOException e) {
                throw new ZcException(ExitCodes.FAILED, "cannot write " + report + ": " + e.getMessage());
            }
        }
        out.printf("zc demo: %s test file, %d round%s, %s -> %s%n", Sizes.format(size), rounds,
                rounds == 1 ? "" : "s", "sender", host + (receiverNetns == null ? "" : " (netns " + receiverNetns + ")"));
        out.println(env.summary());
        out.println(env.ifaceSummary());
        out.println();
        DemoTable.print(out, chosen, runs, census);
        long bad = runs.values().stream().flatMap(List::stream).filter(r -> !r.ok()).count();
        if (bad > 0) {
            throw new ZcException(ExitCodes.FAILED, bad + " run(s) delivered different bytes than were sent");
        }
        return ExitCodes.OK;
    }

    private List<Strategy> chosenStrategies() {
        if (strategies == null || strategies.isEmpty()) {
            return List.of(Strategy.values());
        }
        List<Strategy> list = new ArrayList<>();
        for (String id : strategies) {
            Strategy s = Strategy.byId(id.strip()).orElseThrow(() -> new ZcException(ExitCodes.USAGE,
                    "unknown strategy '" + id + "' (known: " + String.join(", ", Strategy.ids()) + ")"));
            if (!list.contains(s)) {
                list.add(s);
            }
        }
        return list;
    }

    private DemoSetup setup(Path cacheDir) {
        Path javaBin = java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(javaBin)) {
            throw new ZcException(ExitCodes.USAGE, "--java " + javaBin + " is not an executable file");
        }
        List<String> prefix = receiverNetns == null ? List.of() : List.of(ipCommand(), "netns", "exec", receiverNetns);
        List<String> options = List.of("--buffer", String.valueOf(buffer), "--chunk", String.valueOf(chunk),
                "--pipe", String.valueOf(pipe));
        Path work = cacheDir.resolve("work");
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "cannot create " + work + ": " + e.getMessage());
        }
        return new DemoSetup(javaBin, DemoSetup.JVM_FLAGS, System.getProperty("java.class.path"), host, prefix, options, work);
    }

    private Map<String, Long> census(DemoLauncher launcher, Strategy s, Path file, Path strace, Path cacheDir) {
        StraceCensus tracer = new StraceCensus(strace, cacheDir.resolve("work").resolve("strace-" + s.id() + ".txt"));
        DemoRun run = launcher.runTraced(s, file, size, pid -> {
            try {
                tracer.attach(pid);
            } catch (IOException e) {
                throw new DemoFailure(e.getMessage());
            }
        });
        if (!run.ok()) {
            throw new DemoFailure("strace pass of " + s.id() + ": " + run.integrity());
        }
        try {
            return tracer.counts();
        } catch (IOException e) {
            throw new DemoFailure("no strace summary for " + s.id() + ": " + e.getMessage());
        }
    }

    private Environment environment(Map<String, List<DemoRun>> runs, Path file) {
        String jdk = runs.values().stream().flatMap(List::stream).map(r -> r.sender().details().get("jdk"))
                .filter(j -> j != null).map(Object::toString).findFirst().orElse(Runtime.version().toString());
        return Environment.probe(jdk, sendingInterface(), file);
    }

    private String sendingInterface() {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName(host), 9));
            String iface = NicFeatures.interfaceOf(probe.getLocalAddress());
            return iface == null ? "lo" : iface;
        } catch (IOException e) {
            return "lo";
        }
    }

    private Map<String, Object> document(Map<String, List<DemoRun>> runs, Map<String, Map<String, Long>> census,
                                         String failure, Environment env) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (List<DemoRun> list : runs.values()) {
            for (DemoRun r : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("strategy", r.strategy());
                m.put("round", r.round());
                m.put("integrity", r.integrity());
                m.put("bytes", r.sender().bytes());
                m.put("counters", r.sender().counters());
                m.put("model", Strategy.byId(r.strategy()).orElseThrow().model());
                m.put("checksum", r.sender().checksum());
                m.put("receiver", r.receiver());
                m.put("sources", r.sender().sources());
                m.put("details", r.sender().details());
                results.add(m);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "zc-demo/1");
        doc.put("complete", failure == null);
        if (failure != null) {
            doc.put("error", failure);
        }
        doc.put("sizeBytes", size);
        doc.put("rounds", rounds);
        doc.put("results", results);
        if (!census.isEmpty()) {
            doc.put("syscalls", census);
        }
        if (env != null) {
            doc.put("environment", env);
        }
        return doc;
    }

    private void writeJson(Map<String, Object> doc) {
        if (json == null) {
            return;
        }
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "cannot write " + json + ": " + e.getMessage());
        }
    }

    private static Path requireStrace() {
        Path strace = Platform.onPath("strace");
        if (strace == null) {
            throw new ZcException(ExitCodes.UNSUPPORTED, "--syscalls needs strace (apt-get install strace)");
        }
        return strace;
    }

    private static String ipCommand() {
        Path ip = Platform.onPath("ip");
        if (ip == null) {
            throw new ZcException(ExitCodes.UNSUPPORTED, "--receiver-netns needs ip (apt-get install iproute2)");
        }
        return ip.toString();
    }

    /** Sizes as users type them; a bad one is reported by picocli as one line naming the option. */
    public static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Sizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
