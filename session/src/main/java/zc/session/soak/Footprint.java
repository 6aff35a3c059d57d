package zc.session.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a process holds that a leak would grow: open descriptors (/proc/PID/fd), mappings of files under the served
 * folder (/proc/PID/maps) and threads (/proc/PID/task), the JIT compiler's and the garbage collector's workers left
 * out: the JVM starts and stops those by itself as load changes.
 */
record Footprint(int descriptors, int mappingsOfServedFiles, int threads) {
    private static final List<String> JVM_WORKERS = List.of("C1 CompilerThre", "C2 CompilerThre", "GC Thread#",
            "G1 Conc#", "G1 Refine#", "G1 Service");

    static Footprint of(long pid, Path served) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        int fds;
        try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
            fds = (int) s.count();
        }
        String root = served.toString();
        int maps = (int) Files.readAllLines(proc.resolve("maps")).stream().filter(l -> l.contains(root)).count();
        int threads = 0;
        try (Stream<Path> s = Files.list(proc.resolve("task"))) {
            for (Path task : s.toList()) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException gone) {
                    continue;
                }
                if (JVM_WORKERS.stream().noneMatch(comm::startsWith)) {
                    threads++;
                }
            }
        }
        return new Footprint(fds, maps, threads);
    }

    boolean atMost(Footprint baseline) {
        return descriptors <= baseline.descriptors && mappingsOfServedFiles == 0 && threads <= baseline.threads;
    }
}
