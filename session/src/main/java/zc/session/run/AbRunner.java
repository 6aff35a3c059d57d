package zc.session.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import zc.proc.Counters;
import zc.session.model.ProfileInfo;
import zc.session.model.RunRecord;
import zc.session.model.Session;
import zc.session.model.Sessions;
import zc.session.proc.ExitSnapshot;

/**
 * Runs an A/B session: an optional warm-up, then {@code pairs} pairs of runs, A and B interleaved, each in a fresh
 * process with zc-agent (and async-profiler) added through JAVA_TOOL_OPTIONS. session.json is rewritten after every
 * run, marked incomplete until the end, so a failure or Ctrl-C keeps everything measured so far.
 */
public final class AbRunner {
    static final String INJECTION = "JAVA_TOOL_OPTIONS (-javaagent and -agentpath appended to any value it had)";

    private final AbConfig config;
    private final Consumer<String> progress;
    private final Path cache;
    private final List<RunRecord> runs = new ArrayList<>();
    private volatile boolean aborted;
    private volatile Target current;
    private volatile String running = "starting";
    private volatile int runsDone;
    private volatile int runsPlanned = 1;

    public AbRunner(AbConfig config, Path cache, Consumer<String> progress) {
        this.config = config;
        this.cache = cache;
        this.progress = progress;
    }

    /** The share of the session's runs done, 0 to 1. */
    public double done() {
        return (double) runsDone / runsPlanned;
    }

    /** What runs now and for how long, for a progress line. */
    public String status() {
        Target t = current;
        return t == null ? running : running + String.format("  %.0f s", (System.nanoTime() - t.startedNs) / 1e9);
    }

    /** Stops the session from another thread (Ctrl-C): the running application is killed, the session kept. */
    public void abort() {
        aborted = true;
        Target t = current;
        if (t != null) {
            t.kill();
        }
    }

    public Session run() throws IOException {
        Files.createDirectories(config.dir().resolve("runs"));
        Path lib = config.profile() ? Profiler.library(cache) : null;
        List<String[]> plan = new ArrayList<>(); // side, pair
        if (config.warmup()) {
            plan.add(new String[] {"B", "0"});
        }
        for (int p = 1; p <= config.pairs(); p++) {
            plan.add(new String[] {"A", String.valueOf(p)});
            plan.add(new String[] {"B", String.valueOf(p)});
        }
        String error = null;
        runsPlanned = plan.size() + (config.strace() != null ? 2 : 0);
        for (int i = 0; i < plan.size() && !aborted; i++) {
            String side = plan.get(i)[0];
            int pair = Integer.parseInt(plan.get(i)[1]);
            running = String.format("run %d/%d  %s%s", i + 1, plan.size(), side, pair == 0 ? " (warm-up)" : " pair " + pair);
            RunRecord r = runOne(i + 1, pair, side, lib, null);
            runs.add(r);
            runsDone++;
            progress.accept(String.format("run %d/%d  %s%s  %s", i + 1, plan.size(), side,
                    pair == 0 ? " (warm-up)" : " pair " + pair, describe(r)));
            write(false, null, List.of(), List.of(), null, null);
            if (!r.ok() && error == null) {
                error = "run " + r.index() + " (" + side + ") " + r.status() + ": " + r.error();
            }
        }
        Map<String, Map<String, Long>> census = null;
        if (config.strace() != null && !aborted) {
            census = new LinkedHashMap<>();
            for (String side : List.of("A", "B")) {
                progress.accept("strace pass " + side + " (untimed)");
                Path file = config.dir().resolve("runs").resolve("strace-" + side + ".txt");
                zc.session.proc.StraceCensus strace = new zc.session.proc.StraceCensus(config.strace(), file);
                running = "strace pass " + side;
                RunRecord r = runOne(plan.size() + census.size() + 1, 0, side, null, strace);
                runsDone++;
                if (r.ok()) {
                    census.put(side, strace.counts());
                } else if (error == null) {
                    error = "strace pass " + side + " " + r.status() + ": " + r.error();
                }
            }
        }
        if (aborted) {
            error = "interrupted (Ctrl-C) after " + runs.size() + " of " + plan.size() + " runs";
        }
        Results results = Results.of(runs);
        String diff = config.profile() ? FlameDiff.write(config.dir(), runs) : null;
        return write(error == null, error, results.comparisons(), results.warnings(), diff, census);
    }

    private RunRecord runOne(int index, int pair, String side, Path lib, zc.session.proc.StraceCensus strace)
            throws IOException {
        Path runDir = config.dir().resolve("runs").resolve(String.format("%02d-%s%s", index, side,
                strace == null ? "" : "-strace"));
        Path agentDir = runDir.resolve("agent");
        Files.createDirectories(agentDir);
        String options = side.equals("A") ? config.aOptions() : config.bOptions();
        String jvm = side.equals("A") ? config.aJvm() : config.bJvm();
        StringBuilder tool = new StringBuilder(System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", ""));
        tool.append(tool.length() > 0 ? " " : "").append("-javaagent:").append(config.agentJar()).append('=')
                .append(options.isBlank() ? "" : options + ",").append("out=").append(agentDir);
        if (lib != null) {
            tool.append(' ').append(Profiler.agentpath(lib, runDir, config.profilerEvents()));
        }
        if (!jvm.isBlank()) {
            tool.append(' ').append(jvm);
        }
        String rel = config.dir().relativize(runDir).toString();
        long pid = -1;
        try (Target t = Target.start(config.command(), Map.of("JAVA_TOOL_OPTIONS", tool.toString()), runDir)) {
            current = t;
            pid = t.jvmPid(Duration.ofSeconds(60));
            if (strace != null) {
                try {
                    strace.attach(pid);
                } catch (IOException e) {
                    throw new RunFailure(e.getMessage());
                }
            }
            Measured m = measure(t, pid, runDir, agentDir);
            return record(index, pair, side, "ok", null, m.exitCode, m.bytes, m.counters, pid, rel, runDir, agentDir);
        } catch (RunFailure e) {
            return record(index, pair, side, aborted ? "interrupted" : "failed", e.getMessage(), null, 0, null, pid,
                    rel, runDir, agentDir);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            aborted = true;
            return record(index, pair, side, "interrupted", "interrupted", null, 0, null, pid, rel, runDir, agentDir);
        } finally {
            current = null;
        }
    }

    private record Measured(Integer exitCode, long bytes, Counters counters) {
    }

    private Measured measure(Target t, long pid, Path runDir, Path agentDir)
            throws IOException, RunFailure, InterruptedException {
        try (Sampling s = new Sampling(pid, runDir.resolve("proc.jsonl"))) {
            if (config.workload() instanceof Workload.AppRuns) {
                int exit = t.awaitExit(config.runTimeout());
                long wall = System.nanoTime() - t.startedNs;
                if (exit != 0) {
                    throw new RunFailure("the application exited with status " + exit + t.lastLine());
                }
                ExitSnapshot snapshot = exitSnapshot(agentDir, pid);
                Counters c = snapshot != null ? s.atExit(snapshot) : s.latest();
                if (c == null) {
                    throw new RunFailure("the application ended before it could be measured");
                }
                c = new Counters(c.syscr(), c.syscw(), c.rchar(), c.wchar(), c.voluntaryCtxSwitches(),
                        c.nonvoluntaryCtxSwitches(), c.minorFaults(), c.majorFaults(), c.cpuUserNs(), c.cpuSysNs(),
                        wall);
                return new Measured(exit, c.wchar(), c);
            }
            if (config.ready().needed()) {
                t.awaitReady(config.ready());
            }
            Counters before = s.sample();
            long bytes;
            if (config.workload() instanceof Workload.Http http) {
                bytes = HttpLoad.run(http).bytes();
            } else {
                bytes = -1;
                runCommand(((Workload.Command) config.workload()).shell(), runDir);
            }
            Counters after = s.sample();
            Counters c = after.minus(before);
            if (!t.process.isAlive()) {
                throw new RunFailure("the application exited during the workload" + t.lastLine());
            }
            t.stop();
            return new Measured(null, bytes >= 0 ? bytes : c.wchar(), c);
        }
    }

    private void runCommand(String shell, Path runDir) throws RunFailure, InterruptedException {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", shell)
                    .redirectOutput(runDir.resolve("workload.log").toFile()).redirectErrorStream(true).start();
            if (!p.waitFor(config.runTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new RunFailure("the workload command did not finish within "
                        + config.runTimeout().toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                throw new RunFailure("the workload command exited with status " + p.exitValue());
            }
        } catch (IOException e) {
            throw new RunFailure("the workload command did not start: " + e.getMessage());
        }
    }

    private static ExitSnapshot exitSnapshot(Path agentDir, long pid) {
        Path f = agentDir.resolve("zc-agent-" + pid + ".json");
        try {
            JsonNode process = Sessions.json().readTree(f.toFile()).get("process");
            return process == null || process.isNull() ? null
                    : Sessions.json().treeToValue(process, ExitSnapshot.class);
        } catch (IOException e) {
            return null;
        }
    }

    private RunRecord record(int index, int pair, String side, String status, String error, Integer exit, long bytes,
                             Counters counters, long pid, String rel, Path runDir, Path agentDir) {
        ProfileInfo profile = pid > 0 ? Profiler.summarise(config.dir(), runDir, pid) : null;
        Path stats = agentDir.resolve("zc-agent-" + pid + ".json");
        return new RunRecord(index, pair, side, pair == 0, status, error, exit, bytes, counters, pid, rel, profile,
                Files.isRegularFile(stats) ? config.dir().relativize(stats).toString() : null);
    }

    private static String describe(RunRecord r) {
        if (!r.ok()) {
            return r.status() + ": " + r.error();
        }
        double seconds = r.counters().wallNs() / 1e9;
        return String.format("ok  %.1f MB in %.2f s, %d write syscalls", r.bytes() / 1e6, seconds,
                r.counters().syscw());
    }

    private Session write(boolean complete, String error, List<zc.session.stats.Comparison> comparisons,
                          List<String> warnings, String diff, Map<String, Map<String, Long>> census)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>(Environment.probe());
        runs.stream().filter(r -> r.agentStats() != null).findFirst().ifPresent(r -> {
            try {
                env.put("jdk (application)", Sessions.json().readTree(config.dir().resolve(r.agentStats()).toFile())
                        .path("jdk").asText());
            } catch (IOException unreadable) {
                // the run's statistics are missing: the report shows zc's own JDK only
            }
        });
        Session s = new Session(Session.SCHEMA, config.label(), Instant.now().toString(), complete, error,
                config.command(), config.aOptions() + (config.aJvm().isBlank() ? "" : " " + config.aJvm()),
                config.bOptions() + (config.bJvm().isBlank() ? "" : " " + config.bJvm()),
                config.workload().describe(), INJECTION, config.pairs(), env, List.copyOf(runs), comparisons,
                warnings, diff, census);
        Sessions.write(s, config.dir().resolve("session.json"));
        return s;
    }
}
