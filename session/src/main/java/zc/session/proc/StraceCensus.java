package zc.session.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Exact per-syscall counts of one sender with {@code strace -f -c}, attached to all its threads after JVM start-up.
 * ptrace slows every call down, so this runs in a separate pass whose timings are thrown away. It is the only
 * counter that sees splice: /proc/PID/io ignores it.
 */
public final class StraceCensus {
    private final Path strace;
    private final Path output;
    private Process process;

    public StraceCensus(Path strace, Path output) {
        this.strace = strace;
        this.output = output;
    }

    /** Attaches to every thread of {@code pid}; returns once all are traced. */
    public void attach(long pid) throws IOException {
        try {
            process = new ProcessBuilder(strace.toString(), "-f", "-c", "-o", output.toString(),
                    "-p", String.valueOf(pid))
                    .redirectErrorStream(true).redirectOutput(output.resolveSibling(output.getFileName() + ".log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!allThreadsTraced(pid)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("strace could not attach to " + pid + " (ptrace not permitted?)");
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /** Waits for strace to write its summary (it exits with the traced JVM) and returns calls per syscall. */
    public Map<String, Long> counts() throws IOException {
        try {
            if (process == null || !process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException("strace did not finish");
            }
            return parse(Files.readString(output));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    /**
     * Parses the {@code -c} table: {@code % time, seconds, usecs/call, calls, [errors], syscall}; the errors column
     * is blank when there were none. Rows sorted by calls, most first.
     */
    public static Map<String, Long> parse(String table) {
        Map<String, Long> calls = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].matches("[0-9.]+") || f[f.length - 1].equals("total")) {
                continue;
            }
            calls.put(f[f.length - 1], Long.parseLong(f[3]));
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        calls.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static boolean allThreadsTraced(long pid) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                String status = Files.readString(task.resolve("status"));
                if (status.contains("TracerPid:\t0\n")) {
                    return false;
                }
            }
            return true;
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }
}
