package zc.agent.stats;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's own counters when the JVM exits, as JSON: /proc/self/io, faults and CPU ticks from
 * /proc/self/stat, and per live thread its context switches and run time. An A/B session samples the process from
 * outside while it runs; this closes the gap between its last sample and the exit.
 */
final class ProcessAtExit {
    private ProcessAtExit() {
    }

    static String json() {
        StringBuilder b = new StringBuilder("{");
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                String[] kv = line.split(":\\s*");
                if (kv.length == 2 && kv[0].matches("rchar|wchar|syscr|syscw")) {
                    b.append('"').append(kv[0]).append("\": ").append(kv[1].trim()).append(", ");
                }
            }
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            b.append("\"minorFaults\": ").append(f[7]).append(", \"majorFaults\": ").append(f[9])
                    .append(", \"utimeTicks\": ").append(f[11]).append(", \"stimeTicks\": ").append(f[12])
                    .append(", \"threads\": [");
            boolean first = true;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    long vol = 0;
                    long nonvol = 0;
                    try {
                        for (String line : Files.readAllLines(task.resolve("status"))) {
                            if (line.startsWith("voluntary_ctxt_switches:")) {
                                vol = Long.parseLong(line.substring(24).trim());
                            } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                                nonvol = Long.parseLong(line.substring(27).trim());
                            }
                        }
                        long runNs = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                        b.append(first ? "" : ", ").append("{\"tid\": ").append(task.getFileName())
                                .append(", \"voluntary\": ").append(vol).append(", \"nonvoluntary\": ").append(nonvol)
                                .append(", \"runNs\": ").append(runNs).append('}');
                        first = false;
                    } catch (IOException exited) {
                        // the thread ended while being read
                    }
                }
            }
            return b.append("]}").toString();
        } catch (IOException | RuntimeException e) {
            return "null";
        }
    }
}
