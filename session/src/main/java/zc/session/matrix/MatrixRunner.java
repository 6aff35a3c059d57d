package zc.session.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import zc.proc.Counters;
import zc.session.model.Sessions;
import zc.session.run.RunFailure;

/**
 * Runs the matrix. Per network, one server per variant stays up for all of that network's runs; after a check that
 * every server sends every file intact and an untimed warm-up, each round runs every (size, clients) cell for every
 * variant, the variants' order rotating from round to round, so that drift and noise fall on all of them alike.
 * The server's counters come from /proc around each run (whole process: every thread, JIT and GC included).
 */
public final class MatrixRunner {
    private final MatrixConfig config;
    private final Consumer<String> progress;
    private final List<MatrixRun> runs = new ArrayList<>();
    private final Map<String, String> conditions = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> agentBytes = new LinkedHashMap<>();

    public MatrixRunner(MatrixConfig config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    public record Outcome(List<MatrixRun> runs, Map<String, String> conditions,
                          Map<String, Map<String, Long>> agentBytes) {
    }

    public Outcome run() throws IOException, RunFailure, InterruptedException {
        Path files = testFiles();
        boolean anyVeth = config.networks().stream().anyMatch(Network::veth);
        try (Veth veth = anyVeth ? Veth.create() : null) {
            for (Network network : config.networks()) {
                if (network.veth()) {
                    veth.scatterGather(network.scatterGather());
                    conditions.put(network.label(), veth.features());
                }
                runNetwork(network, files);
            }
        }
        return new Outcome(List.copyOf(runs), conditions, agentBytes);
    }

    /**
     * Every round starts fresh servers: one JVM's JIT and memory layout can make it faster or slower than the next
     * for its whole life, so a JVM per variant for all rounds would turn that luck into a steady difference.
     */
    private void runNetwork(Network network, Path files) throws IOException, RunFailure, InterruptedException {
        Path dir = config.work().resolve("runs").resolve(network.label());
        int cells = config.sizes().size() * config.clients().size() * config.variants().size();
        for (int round = 1; round <= config.rounds(); round++) {
            Map<Variant, VariantServer> servers = new EnumMap<>(Variant.class);
            try {
                for (Variant v : config.variants()) {
                    progress.accept(String.format("%s round %d/%d: starting and warming up the %s server",
                            network.label(), round, config.rounds(), v.label()));
                    VariantServer s = VariantServer.start(config, v, network, files,
                            dir.resolve("round-" + round).resolve(v.label()), dir.resolve(v.label() + "-agent"));
                    servers.put(v, s);
                    warmUp(s, files, round == 1);
                }
                int done = 0;
                for (long size : config.sizes()) {
                    for (int clients : config.clients()) {
                        for (int k = 0; k < config.variants().size(); k++) {
                            Variant v = config.variants().get((k + round - 1) % config.variants().size());
                            MatrixRun r = measure(servers.get(v), network, size, clients, round);
                            runs.add(r);
                            done++;
                            progress.accept(String.format("%s round %d/%d  %d/%d  %s %s x%d: %.0f MB/s",
                                    network.label(), round, config.rounds(), done, cells, MatrixTable.size(size),
                                    v.label(), clients, r.megabytesPerSecond()));
                        }
                    }
                }
                for (VariantServer s : servers.values()) {
                    s.stop();
                }
            } finally {
                servers.values().forEach(VariantServer::close);
            }
        }
        for (Variant v : config.variants()) {
            if (v.rewritten()) {
                agentBytes.put(network.label() + " " + v.label(), agentBytes(dir.resolve(v.label() + "-agent")));
            }
        }
    }

    /**
     * Until the JIT has compiled the serving path (the agent's adds code to compile): files up to 64 KiB for at
     * least a second and 2,000 requests, 1 MiB files 256 times, one request of each larger one; in the first round
     * each file is also checked byte for byte. Over this side's address, so no namespace client is needed.
     */
    private void warmUp(VariantServer s, Path files, boolean check) throws IOException, RunFailure,
            InterruptedException {
        for (long size : config.sizes()) {
            if (check) {
                check(s, size, files);
            }
            try {
                if (size <= 64 << 10) {
                    long until = System.nanoTime() + 1_000_000_000L;
                    do {
                        Load.run(s.address, path(size), size, 1, 2000);
                    } while (System.nanoTime() < until);
                } else {
                    Load.run(s.address, path(size), size, 1, size <= 1 << 20 ? 256 : 1);
                }
            } catch (IOException e) {
                throw new RunFailure("warming up the " + s.variant.label() + " server: " + e.getMessage());
            }
        }
    }

    private MatrixRun measure(VariantServer server, Network network, long size, int clients, int round)
            throws IOException, RunFailure, InterruptedException {
        Counters before = server.sample();
        long jitBefore = JitThreads.cpuNs(server.pid);
        Load.Result load;
        try {
            long requests = config.requests(size, clients);
            load = network.veth()
                    ? Load.inProcess(Veth.inside(), server.address, path(size), size, clients, requests)
                    : Load.run(server.address, path(size), size, clients, requests);
        } catch (IOException e) {
            throw new RunFailure(server.variant.label() + " on " + network.label() + ", " + MatrixTable.size(size)
                    + " x" + clients + ": " + e.getMessage() + (server.alive() ? "" : " (server died" + server.lastLine()
                    + ")"));
        }
        Counters c = server.sample().minus(before);
        long jit = JitThreads.cpuNs(server.pid) - jitBefore;
        c = new Counters(c.syscr(), c.syscw(), c.rchar(), c.wchar(), c.voluntaryCtxSwitches(),
                c.nonvoluntaryCtxSwitches(), c.minorFaults(), c.majorFaults(), c.cpuUserNs(), c.cpuSysNs(),
                load.wallNs());
        return new MatrixRun(network.label(), size, clients, server.variant.label(), round, load.bytes(),
                load.requests(), c, Math.max(0, jit));
    }

    /** One GET whose body must equal the file, byte for byte. */
    private static void check(VariantServer server, long size, Path files) throws IOException, RunFailure {
        try (Socket s = new Socket(server.address.getAddress(), server.address.getPort());
             InputStream file = new BufferedInputStream(Files.newInputStream(files.resolve(name(size))))) {
            s.getOutputStream().write(("GET " + path(size) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int matched = 0; matched < 4; ) {
                int b = in.read();
                if (b < 0) {
                    throw new RunFailure("the " + server.variant.label() + " server closed before a response");
                }
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            byte[] got = new byte[1 << 20];
            byte[] want = new byte[1 << 20];
            for (long same = 0; ; ) {
                int a = in.readNBytes(got, 0, got.length);
                int b = file.readNBytes(want, 0, want.length);
                int at = Arrays.mismatch(got, 0, a, want, 0, b);
                if (at >= 0 && at == a && a < b) {
                    throw new RunFailure("the " + server.variant.label() + " server's " + name(size)
                            + " ended after " + (same + a) + " of " + size + " bytes (see its stderr.log)");
                }
                if (at >= 0) {
                    throw new RunFailure("the " + server.variant.label() + " server's " + name(size)
                            + " differs from the file at byte " + (same + at));
                }
                if (a == 0) {
                    break;
                }
                same += a;
            }
        }
    }

    /** What zc-agent reports it moved, by path, summed over its sites. */
    private static Map<String, Long> agentBytes(Path out) throws IOException {
        Map<String, Long> sum = new LinkedHashMap<>();
        List<Path> stats;
        try (Stream<Path> s = Files.list(out)) {
            stats = s.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
        }
        for (Path p : stats) {
            for (JsonNode site : Sessions.json().readTree(p.toFile()).path("sites")) {
                site.path("bytes").fields().forEachRemaining(e -> sum.merge(e.getKey(), e.getValue().asLong(),
                        Long::sum));
            }
        }
        return sum;
    }

    static String path(long size) {
        return "/" + name(size);
    }

    static String name(long size) {
        return "file-" + MatrixTable.size(size).replace(" ", "").toLowerCase();
    }

    /** The test files, random bytes from a fixed seed, made once and kept in the work folder. */
    private Path testFiles() throws IOException {
        return TestFiles.write(config.work().resolve("files"), config.sizes(), MatrixRunner::name, progress);
    }
}
