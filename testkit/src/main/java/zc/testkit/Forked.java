package zc.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A process forked by a test, its output collected line by line; destroyed on close so a failed test leaves
 * nothing running.
 */
public final class Forked implements AutoCloseable {
    private final Process process;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CountDownLatch drained = new CountDownLatch(2);

    private Forked(Process process) {
        this.process = process;
        drain(process.getInputStream(), stdout, true);
        drain(process.getErrorStream(), stderr, false);
    }

    public static Forked start(List<String> command) throws IOException {
        return new Forked(new ProcessBuilder(command).start());
    }

    /** Runs to completion; fails the test when it takes longer than {@code timeout}. */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        try (Forked f = start(command)) {
            return f.await(timeout);
        }
    }

    public Process process() {
        return process;
    }

    public Result await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after " + timeout + "; stderr so far: " + stderr);
        }
        drained.await(10, TimeUnit.SECONDS);
        return new Result(process.exitValue(), stdout.toString(), stderr.toString());
    }

    /** What the process wrote on stderr so far. */
    public String stderrSoFar() {
        return stderr.toString();
    }

    /** Writes a line to the process's stdin. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Waits for a stdout line starting with {@code prefix} and returns the rest of it. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + timeout
                        + "; alive=" + process.isAlive() + ", stderr: " + stderr);
            }
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain(InputStream in, StringBuffer sink, boolean queue) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.append(line).append('\n');
                    if (queue) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                // process gone
            } finally {
                drained.countDown();
            }
        }, "forked-drain");
        t.setDaemon(true);
        t.start();
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
