package zc.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/**
 * One launch of a server application, measured to its first HTTP 200: the JVM's CPU time (user + system, from
 * /proc/PID/stat, which counts threads that have already exited) and the wall time since launch. The application
 * prints {@code port N} once it listens; one GET of {@code /index.html} follows at once, and the process is
 * stopped after the answer.
 */
final class FirstResponse {
    /** USER_HZ: /proc/PID/stat counts CPU time in ticks of 10 ms on Linux. */
    private static final double MS_PER_TICK = 10;

    private FirstResponse() {
    }

    /** CPU (ms) and wall time (ms) from launch to the first 200. */
    record Figures(double cpuMillis, double wallMillis) {
    }

    /** Measures one launch; when it returns, {@code log} holds all the application's output. */
    static Figures measure(List<String> command, Path log) throws Exception {
        long launched = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread[] reader = new Thread[1];
        try {
            int port = awaitPort(p, log, reader);
            int status = get(port);
            long answered = System.nanoTime();
            double cpu = cpuMillis(p.pid());
            if (status != 200) {
                throw new ZcException(ExitCodes.FAILED, "GET /index.html answered " + status + ": " + command);
            }
            return new Figures(cpu, (answered - launched) / 1e6);
        } finally {
            // SIGTERM through the handle: Process.destroy() also closes our end of the pipe, and what the JVM prints
            // on its way out (zc's log=info summary) would be lost from the log
            p.toHandle().destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            if (reader[0] != null) {
                reader[0].join(30_000);
            }
        }
    }

    /** A training run: one 200, then the application exits by itself (and the JVM writes its archive). */
    static void train(List<String> command, Path log) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            get(awaitPort(p, log, new Thread[1]));
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new ZcException(ExitCodes.FAILED, "the training run did not exit; see " + log);
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Reads the application's output on a thread of its own ({@code reader[0]}, into {@code log} at its end) until
     * it names its port.
     */
    private static int awaitPort(Process p, Path log, Thread[] reader) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread output = new Thread(() -> {
            StringBuilder all = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.append(line).append('\n');
                    if (line.startsWith("port ") && !port.isDone()) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("exited without naming its port"));
            try {
                Files.writeString(log, all);
            } catch (IOException ignored) {
                // the log only helps when something failed
            }
        }, "zc-bench-output");
        output.setDaemon(true);
        output.start();
        reader[0] = output;
        try {
            return port.get(180, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ZcException(ExitCodes.FAILED, "no port printed within 180 s; see " + log);
        } catch (java.util.concurrent.ExecutionException e) {
            output.join(5000);
            throw new ZcException(ExitCodes.FAILED, "the application " + e.getCause().getMessage() + "; see " + log);
        }
    }

    private static int get(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/index.html").openConnection();
        c.setConnectTimeout(30_000);
        c.setReadTimeout(60_000);
        try {
            int status = c.getResponseCode();
            if (status == 200) {
                c.getInputStream().readAllBytes();
            }
            return status;
        } finally {
            c.disconnect();
        }
    }

    static double cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
    }
}
