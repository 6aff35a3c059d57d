package zc.session.containers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import zc.proc.Counters;
import zc.session.matrix.JitThreads;
import zc.session.matrix.Load;
import zc.session.matrix.MatrixTable;
import zc.session.matrix.TestFiles;
import zc.session.proc.ProcSampler;
import zc.session.run.Readiness;
import zc.session.run.RunFailure;
import zc.session.run.Target;

/**
 * {@code zc bench containers}: per container, fresh servers every round for each variant (the application's loop
 * without the agent, the same with zc-agent, the container's own zero-copy path and its mapped-write path, both
 * without the agent), warmed up,
 * then every (size, clients) cell for every variant, their order rotating from round to round. The server's whole
 * process is read from /proc around each run (CPU without its JIT compiler threads, write syscalls).
 */
public final class ContainerBench {
    /** The settings of a bench: sizes, client counts, rounds, about how much one run moves, java and agent. */
    public record Config(List<ContainerSpec> containers, List<Long> sizes, List<Integer> clients, int rounds,
                         long bytesPerRun, Path java, Path agentJar, Path work) {
    }

    private final Config config;
    private final Consumer<String> progress;

    public ContainerBench(Config config, Consumer<String> progress) {
        this.config = config;
        this.progress = progress;
    }

    public List<ContainerRun> run() throws IOException, RunFailure, InterruptedException {
        Path files = files();
        List<ContainerRun> runs = new ArrayList<>();
        for (ContainerSpec c : config.containers()) {
            for (int round = 1; round <= config.rounds(); round++) {
                runRound(c, files, round, runs);
            }
        }
        return runs;
    }

    private void runRound(ContainerSpec c, Path files, int round, List<ContainerRun> runs)
            throws IOException, RunFailure, InterruptedException {
        Map<ContainerVariant, Server> servers = new EnumMap<>(ContainerVariant.class);
        ContainerVariant[] all = java.util.Arrays.stream(ContainerVariant.values()).filter(v -> c.prefix(v) != null)
                .toArray(ContainerVariant[]::new);
        try {
            for (ContainerVariant v : all) {
                progress.accept(String.format("%s round %d/%d: starting and warming up %s", c.name(), round,
                        config.rounds(), v.label()));
                Server s = start(c, v, files, config.work().resolve("runs").resolve(c.name())
                        .resolve("round-" + round).resolve(v.label()));
                servers.put(v, s);
                for (long size : config.sizes()) {
                    load(s, c, v, size, 1, size <= 1 << 20 ? 64 : 2);
                }
            }
            for (long size : config.sizes()) {
                for (int clients : config.clients()) {
                    for (int k = 0; k < all.length; k++) {
                        ContainerVariant v = all[(k + round - 1) % all.length];
                        Server s = servers.get(v);
                        Counters before = s.sampler.sample();
                        long jit = JitThreads.cpuNs(s.pid);
                        Load.Result r = load(s, c, v, size, clients,
                                Math.max(clients, Math.min(4096, config.bytesPerRun() / size)));
                        Counters d = s.sampler.sample().minus(before);
                        d = new Counters(d.syscr(), d.syscw(), d.rchar(), d.wchar(), d.voluntaryCtxSwitches(),
                                d.nonvoluntaryCtxSwitches(), d.minorFaults(), d.majorFaults(), d.cpuUserNs(),
                                d.cpuSysNs(), r.wallNs());
                        ContainerRun run = new ContainerRun(c.name(), size, clients, v.label(), round, r.bytes(),
                                r.requests(), d, Math.max(0, JitThreads.cpuNs(s.pid) - jit));
                        runs.add(run);
                        progress.accept(String.format("%s round %d/%d  %s x%d %s: %.0f MB/s, %.0f ms CPU/GiB",
                                c.name(), round, config.rounds(), MatrixTable.size(size), clients, v.label(),
                                run.megabytesPerSecond(), run.cpuMsPerGib()));
                    }
                }
            }
            for (Server s : servers.values()) {
                s.target.stop();
            }
        } finally {
            servers.values().forEach(s -> s.target.close());
        }
    }

    private Load.Result load(Server s, ContainerSpec c, ContainerVariant v, long size, int clients, long requests)
            throws RunFailure, InterruptedException {
        String path = c.prefix(v) + name(size);
        try {
            return Load.run(s.address, path, size, clients, requests);
        } catch (IOException e) {
            throw new RunFailure(c.name() + " " + v.label() + " " + path + " x" + clients + ": " + e.getMessage()
                    + (s.target.process.isAlive() ? "" : " (server died: " + s.target.lastLine() + ")"));
        }
    }

    private record Server(Target target, long pid, InetSocketAddress address, ProcSampler sampler) {
    }

    private Server start(ContainerSpec c, ContainerVariant v, Path files, Path dir)
            throws IOException, RunFailure, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>(List.of(config.java().toString(), "-Xms256m", "-Xmx1g"));
        if (v == ContainerVariant.ZC) {
            cmd.add("-javaagent:" + config.agentJar() + "=out=" + dir);
        }
        cmd.addAll(List.of("-cp", c.classpath(), c.mainClass()));
        cmd.addAll(c.arguments(files, dir));
        Target t = Target.start(cmd, Map.of(), dir);
        try {
            long pid = t.jvmPid(Duration.ofSeconds(30));
            t.awaitReady(new Readiness(null, c.ready(), Duration.ofSeconds(90)));
            Matcher m = c.ready().matcher(Files.readString(t.stdout));
            if (!m.find()) {
                throw new RunFailure(c.name() + " printed no port");
            }
            return new Server(t, pid, new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1))),
                    new ProcSampler(pid));
        } catch (RunFailure | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    static String name(long size) {
        return "file-" + MatrixTable.size(size).replace(" ", "").toLowerCase();
    }

    private Path files() throws IOException {
        return TestFiles.write(config.work().resolve("files"), config.sizes(), ContainerBench::name, progress);
    }
}
