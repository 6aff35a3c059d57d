package zc.session.run;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The application of one run: started from its argument list (no shell, so any character is data), its output in
 * the run's folder, stopped with its whole process tree. Every target still alive when zc exits is killed.
 */
public final class Target implements AutoCloseable {
    private static final Set<Target> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Target::kill), "zc-target-reaper"));
    }

    public final Process process;
    public final Path stdout;
    final Path stderr;
    final long startedNs;

    private Target(Process process, Path stdout, Path stderr, long startedNs) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.startedNs = startedNs;
        LIVE.add(this);
    }

    public static Target start(List<String> command, Map<String, String> env, Path runDir) throws RunFailure {
        Path out = runDir.resolve("stdout.log");
        Path err = runDir.resolve("stderr.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        long started = System.nanoTime();
        try {
            return new Target(pb.start(), out, err, started);
        } catch (IOException e) {
            throw new RunFailure("the command did not start: " + e.getMessage());
        }
    }

    /** The JVM to measure: the process itself, or the first java among its descendants. */
    public long jvmPid(Duration timeout) throws RunFailure, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isJava(process.pid())) {
                return process.pid();
            }
            Optional<ProcessHandle> child = process.descendants().filter(p -> isJava(p.pid())).findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            if (!process.isAlive()) {
                throw new RunFailure("the command exited (status " + process.exitValue() + ") without starting a JVM"
                        + lastLine());
            }
            Thread.sleep(5);
        }
        throw new RunFailure("no JVM appeared within " + timeout.toSeconds() + " s");
    }

    private static boolean isJava(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "exe")).getFileName().toString()
                    .equals("java");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Waits until the port accepts connections or the log line appears; fails if the application exits first. */
    public void awaitReady(Readiness ready) throws RunFailure, InterruptedException {
        long deadline = System.nanoTime() + ready.timeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new RunFailure("the application exited (status " + process.exitValue() + ") before it was ready"
                        + lastLine());
            }
            if (ready.port() != null && accepts(ready.port())) {
                return;
            }
            if (ready.logLine() != null && (matches(stdout, ready) || matches(stderr, ready))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new RunFailure("the application was not ready within " + ready.timeout().toSeconds() + " s ("
                + (ready.port() != null ? "port " + ready.port() + " never accepted" : "no line matched "
                + ready.logLine().pattern()) + ")");
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean matches(Path log, Readiness ready) {
        try {
            return ready.logLine().matcher(Files.readString(log, StandardCharsets.UTF_8)).find();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Waits for the application to exit by itself; returns its status. */
    int awaitExit(Duration timeout) throws RunFailure, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new RunFailure("the application did not finish within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** SIGTERM to the tree (so shutdown hooks, zc-agent's statistics included, run), SIGKILL after 10 s. */
    public void stop() throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
        for (ProcessHandle p : tree) {
            p.onExit().completeOnTimeout(p, 10, TimeUnit.SECONDS).join();
            p.destroyForcibly();
        }
    }

    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    public String lastLine() {
        try {
            List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("Picked up JAVA_TOOL_OPTIONS")
                            && !l.contains("bootstrap classpath has been appended")).toList();
            return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
        LIVE.remove(this);
    }
}
