package zc.session.matrix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a JVM's JIT compiler threads, from /proc/PID/task/TID/schedstat. A run of the matrix lasts a second
 * or less, and a compilation that lands in it would weigh on the variant whose code is still being compiled (the
 * agent adds code to compile): the matrix counts it apart from the sender's CPU.
 */
public final class JitThreads {
    private JitThreads() {
    }

    public static long cpuNs(long pid) throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        sum += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                    }
                } catch (IOException exited) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return sum;
    }
}
