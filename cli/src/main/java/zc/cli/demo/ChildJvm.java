package zc.cli.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import zc.demo.harness.Protocol;

/**
 * A demo JVM started by zc: its stdout {@link Protocol} lines are read as they come, its stderr kept for error
 * messages. Every child is destroyed when zc exits, Ctrl-C included, so no JVM is ever orphaned.
 */
final class ChildJvm implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final String EOF = "\u0000eof";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "zc-child-reaper"));
    }

    private final String name;
    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        LIVE.add(process);
        pump(process.getInputStream(), lines::add, true);
        pump(process.getErrorStream(), l -> stderr.append(l).append('\n'), false);
    }

    static ChildJvm start(String name, List<String> command) {
        try {
            return new ChildJvm(name, new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new DemoFailure(name + " did not start: " + e.getMessage());
        }
    }

    long pid() {
        return process.pid();
    }

    /** The payload of the next stdout line starting with {@code prefix}; fails on ZC-ERROR, exit or timeout. */
    String await(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new DemoFailure(name + " timed out after " + timeout.toSeconds() + " s waiting for "
                            + prefix.strip());
                }
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
                if (line.startsWith(Protocol.ERROR)) {
                    throw new DemoFailure(name + ": " + line.substring(Protocol.ERROR.length()));
                }
                if (line.equals(EOF)) {
                    throw new DemoFailure(name + " exited (status " + exitStatus() + ") before "
                            + prefix.strip() + lastStderrLine());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }

    void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new DemoFailure(name + " no longer reads its input: " + e.getMessage());
        }
    }

    /** Waits for a normal exit; a non-zero status is a failure. */
    void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new DemoFailure(name + " did not exit within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
        if (process.exitValue() != 0) {
            throw new DemoFailure(name + " exited with status " + process.exitValue() + lastStderrLine());
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
        LIVE.remove(process);
    }

    private String exitStatus() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private String lastStderrLine() {
        List<String> all = new ArrayList<>(stderr.toString().lines().filter(l -> !l.isBlank()).toList());
        return all.isEmpty() ? "" : ": " + all.get(all.size() - 1).strip();
    }

    private void pump(java.io.InputStream stream, java.util.function.Consumer<String> sink, boolean markEof) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the process is gone; EOF below says so
            }
            if (markEof) {
                sink.accept(EOF);
            }
        }, "zc-" + name + "-pump");
        t.setDaemon(true);
        t.start();
    }
}
