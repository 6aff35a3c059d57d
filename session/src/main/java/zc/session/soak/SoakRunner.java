package zc.session.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import zc.session.run.Readiness;
import zc.session.run.RunFailure;
import zc.session.run.Target;

/**
 * {@code zc bench soak}: the static-file demo server with zc-agent, one per strategy (sendfile, mmap), both serving
 * one folder, under a mix of downloads for a while: whole bodies, bodies given up part-way by a close or by a reset,
 * while another thread appends to one file and cuts others and writes them back. Every body is checked byte for
 * byte ({@link SoakFiles}); the servers' descriptors, mappings and threads after the run are compared with a
 * baseline taken after a warm-up that ran every kind of download once ({@link Footprint}).
 */
public final class SoakRunner {
    private static final Pattern LISTENING = Pattern.compile("ZC-LISTENING (\\d+)");
    private static final List<String> STRATEGIES = List.of("sendfile", "mmap");
    /**
     * What to run: the JVM, the agent, the demos' class path, where, how long, with how many client threads, and
     * the agent's {@code recent} option (files changed more recently keep the original loop).
     */
    public record Config(Path java, Path agentJar, Path demosJar, Path work, Duration duration, int clients,
                         String recent) {
    }

    /** One server's run: downloads by outcome, footprints, and the agent's figures at exit. */
    public record ServerResult(String strategy, Map<Download.Outcome, Long> outcomes, Footprint baseline,
                               Footprint after, Map<String, Long> agentBytes, long fallbacks, int agentErrors,
                               boolean alive) {
        public boolean passed() {
            return alive && outcomes.getOrDefault(Download.Outcome.CORRUPT, 0L) == 0
                    && outcomes.getOrDefault(Download.Outcome.FAILED, 0L) == 0 && after.atMost(baseline)
                    && agentErrors == 0;
        }
    }

    /** The whole soak. */
    public record Result(Duration duration, int clients, String recent, long appends, long cuts,
                         List<ServerResult> servers) {
        public boolean passed() {
            return servers.stream().allMatch(ServerResult::passed);
        }
    }

    private final Config config;
    private final Consumer<String> progress;

    public SoakRunner(Config config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    public Result run() throws IOException, RunFailure, InterruptedException {
        SoakFiles files = new SoakFiles(config.work().resolve("served"));
        List<Target> targets = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (String strategy : STRATEGIES) {
                start(strategy, files, targets, pids, addresses);
            }
            for (InetSocketAddress a : addresses) {
                warmUp(a, files);
            }
            Thread.sleep(1000);
            List<Footprint> baselines = new ArrayList<>();
            for (long pid : pids) {
                baselines.add(Footprint.of(pid, files.root()));
            }
            List<AtomicLongArray> counts = new ArrayList<>();
            for (int i = 0; i < STRATEGIES.size(); i++) {
                counts.add(new AtomicLongArray(Download.Outcome.values().length));
            }
            long[] changes = mixedLoad(files, addresses, counts);
            Thread.sleep(1000);
            List<ServerResult> results = new ArrayList<>();
            for (int i = 0; i < STRATEGIES.size(); i++) {
                Footprint after = settled(pids.get(i), files.root(), baselines.get(i));
                boolean alive = targets.get(i).process.isAlive();
                targets.get(i).stop();
                results.add(result(STRATEGIES.get(i), counts.get(i), baselines.get(i), after, alive));
            }
            return new Result(config.duration(), config.clients(), config.recent(), changes[0], changes[1], results);
        } finally {
            targets.forEach(Target::close);
        }
    }

    private void start(String strategy, SoakFiles files, List<Target> targets, List<Long> pids,
                       List<InetSocketAddress> addresses) throws IOException, RunFailure, InterruptedException {
        Path dir = Files.createDirectories(config.work().resolve(strategy));
        Path out = Files.createDirectories(dir.resolve("agent"));
        try (Stream<Path> old = Files.list(out)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        List<String> cmd = List.of(config.java().toString(), "-Xms256m", "-Xmx512m",
                "-javaagent:" + config.agentJar() + "=mode=rewrite,strategy=" + strategy + ",recent=" + config.recent()
                        + ",out=" + out,
                "-cp", config.demosJar().toString(), "zc.demo.httpserver.StaticFileServer", "--root",
                files.root().toString(), "--port", "0", "--idle-timeout", "5", "--threads", "16");
        Target t = Target.start(cmd, Map.of(), dir);
        targets.add(t);
        pids.add(t.jvmPid(Duration.ofSeconds(30)));
        t.awaitReady(new Readiness(null, LISTENING, Duration.ofSeconds(60)));
        Matcher m = LISTENING.matcher(Files.readString(t.stdout));
        if (!m.find()) {
            throw new RunFailure("the " + strategy + " server printed no port");
        }
        addresses.add(new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))));
    }

    /** Every file whole, then one abort and one reset, twice: every path of the server has run once. */
    private static void warmUp(InetSocketAddress server, SoakFiles files) throws RunFailure {
        Random random = new Random(1);
        for (int round = 0; round < 2; round++) {
            for (String name : files.stable()) {
                for (Download.Kind kind : Download.Kind.values()) {
                    Download.Outcome o = Download.run(server, files, name, kind, random);
                    if (o == Download.Outcome.CORRUPT || o == Download.Outcome.FAILED) {
                        throw new RunFailure("warm-up download of " + name + " (" + kind + ") ended " + o);
                    }
                }
            }
        }
    }

    /** Client threads and the file changer until the time is up; returns {appends, cuts}. */
    private long[] mixedLoad(SoakFiles files, List<InetSocketAddress> servers, List<AtomicLongArray> counts)
            throws InterruptedException {
        long end = System.nanoTime() + config.duration().toNanos();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> names = files.all();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < config.clients(); c++) {
            int client = c;
            threads.add(started("soak-client-" + c, () -> {
                Random random = new Random(client);
                for (long i = client; running.get(); i++) {
                    int server = (int) (i % servers.size());
                    String name = names.get(random.nextInt(names.size()));
                    int k = random.nextInt(100);
                    Download.Kind kind = k < 70 ? Download.Kind.WHOLE : k < 85 ? Download.Kind.ABORT
                            : Download.Kind.RESET;
                    Download.Outcome o = Download.run(servers.get(server), files, name, kind, random);
                    counts.get(server).incrementAndGet(o.ordinal());
                }
            }));
        }
        long[] changes = new long[2];
        Thread changer = started("soak-changer", () -> {
            Random random = new Random(7);
            try {
                while (running.get()) {
                    Thread.sleep(100 + random.nextInt(200));
                    if (random.nextBoolean()) {
                        files.append(1 + random.nextInt(64 << 10));
                        changes[0]++;
                    } else {
                        files.cutAndRestore(SoakFiles.cut(random.nextInt(SoakFiles.CUT_FILES)),
                                random.nextInt(8 << 20));
                        changes[1]++;
                    }
                }
            } catch (IOException | InterruptedException e) {
                progress.accept("the file changer stopped: " + e);
            }
        });
        long started = System.nanoTime();
        long next = started;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
            if (System.nanoTime() >= next) {
                next += Duration.ofSeconds(10).toNanos();
                progress.accept(progressLine(started, counts));
            }
        }
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        changer.join();
        progress.accept(progressLine(started, counts));
        return changes;
    }

    private static Thread started(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    private String progressLine(long started, List<AtomicLongArray> counts) {
        StringBuilder b = new StringBuilder(String.format("soak %s / %s:", clock(System.nanoTime() - started),
                clock(config.duration().toNanos())));
        for (int i = 0; i < counts.size(); i++) {
            b.append(i == 0 ? " " : "; ").append(STRATEGIES.get(i));
            String sep = " ";
            for (Map.Entry<Download.Outcome, Long> e : outcomes(counts.get(i)).entrySet()) {
                b.append(sep).append(e.getKey().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                        .append(e.getValue());
                sep = ", ";
            }
        }
        return b.toString();
    }

    private static String clock(long nanos) {
        long s = nanos / 1_000_000_000L;
        return String.format("%d:%02d", s / 60, s % 60);
    }

    static Map<Download.Outcome, Long> outcomes(AtomicLongArray counts) {
        Map<Download.Outcome, Long> m = new EnumMap<>(Download.Outcome.class);
        for (Download.Outcome o : Download.Outcome.values()) {
            m.put(o, counts.get(o.ordinal()));
        }
        return m;
    }

    /** The footprint once it is back at or below the baseline, or after 10 s of trying. */
    private static Footprint settled(long pid, Path served, Footprint baseline)
            throws IOException, InterruptedException {
        Footprint f = Footprint.of(pid, served);
        for (int i = 0; i < 20 && !f.atMost(baseline); i++) {
            Thread.sleep(500);
            f = Footprint.of(pid, served);
        }
        return f;
    }

    private ServerResult result(String strategy, AtomicLongArray counts, Footprint baseline, Footprint after,
                                boolean alive) throws IOException {
        Path out = config.work().resolve(strategy).resolve("agent");
        Map<String, Long> bytes = new TreeMap<>();
        long fallbacks = 0;
        int errors = 0;
        try (Stream<Path> s = Files.list(out)) {
            for (Path json : s.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode stats = new ObjectMapper().readTree(json.toFile());
                for (JsonNode site : stats.path("sites")) {
                    site.path("bytes").fields().forEachRemaining(e -> bytes.merge(e.getKey(), e.getValue().asLong(),
                            Long::sum));
                    for (JsonNode n : site.path("fallbacks")) {
                        fallbacks += n.asLong();
                    }
                }
                errors += stats.path("errors").size();
            }
        }
        return new ServerResult(strategy, outcomes(counts), baseline, after, bytes, fallbacks, errors, alive);
    }
}
