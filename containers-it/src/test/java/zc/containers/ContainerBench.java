package zc.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zc.testkit.Forked;

/**
 * CPU and write system calls per GiB of one container serving 64 MiB bodies over loopback to curl, three ways, in
 * interleaved rounds (one server JVM per way, all running; each round measures every way once, in rotated order):
 * {@code original} the download servlet's loop without zc ({@code mode=off}), {@code zc} the same servlet with zc,
 * {@code own} the container's own file serving at {@code /own/} (Jetty's ResourceHandler with mapped files,
 * Undertow's ResourceHandler with transferFrom), without zc. Figures from /proc/PID/stat (utime+stime of the whole
 * server JVM) and /proc/PID/io (syscw), medians over the rounds. Arguments: java, agent jar, class path, main class,
 * work folder, rounds, downloads per round. Not a test: run by hand, results in docs/BENCHMARKS.md.
 */
public final class ContainerBench {
    private static final int SIZE = 64 << 20;

    private ContainerBench() {
    }

    public static void main(String[] args) throws Exception {
        String java = args[0];
        String agent = args[1];
        String classpath = args[2];
        String main = args[3];
        Path work = Files.createDirectories(Path.of(args[4]));
        int rounds = Integer.parseInt(args[5]);
        int downloads = Integer.parseInt(args[6]);
        Path root = Files.createDirectories(work.resolve("www"));
        Path file = root.resolve("f.bin");
        if (!Files.exists(file) || Files.size(file) != SIZE) {
            byte[] data = new byte[SIZE];
            new java.util.Random(1).nextBytes(data);
            Files.write(file, data);
        }
        Map<String, String[]> ways = new LinkedHashMap<>();
        ways.put("original", new String[] {"mode=off", "/files/f.bin"});
        ways.put("zc", new String[] {"mode=rewrite", "/files/f.bin"});
        ways.put("own", new String[] {"mode=off", "/own/f.bin"});
        Map<String, Forked> servers = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String[]> w : ways.entrySet()) {
                Forked f = Forked.start(List.of(java, "-javaagent:" + agent + "=" + w.getValue()[0], "-cp", classpath,
                        main, "0", root.toString(), work.resolve(w.getKey() + ".log").toString(), "-"));
                servers.put(w.getKey(), f);
                ports.put(w.getKey(), Integer.parseInt(f.awaitLine("PORT ", Duration.ofMinutes(1)).trim()));
                results.put(w.getKey(), new ArrayList<>());
            }
            for (String way : ways.keySet()) { // warm-up: the serving path compiled
                download(ports.get(way), ways.get(way)[1], 8);
            }
            List<String> order = new ArrayList<>(ways.keySet());
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < order.size(); i++) {
                    String way = order.get((i + r) % order.size());
                    long pid = servers.get(way).process().pid();
                    long[] before = counters(pid);
                    download(ports.get(way), ways.get(way)[1], downloads);
                    long[] after = counters(pid);
                    double gib = (double) downloads * SIZE / (1L << 30);
                    results.get(way).add(new double[] {(after[0] - before[0]) * 10 / gib, (after[1] - before[1]) / gib});
                }
            }
        } finally {
            for (Forked f : servers.values()) {
                f.close();
            }
        }
        System.out.printf("%-10s %14s %16s%n", "way", "CPU ms/GiB", "write calls/GiB");
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            System.out.printf("%-10s %14.0f %16.0f   (rounds: %s)%n", e.getKey(), median(e.getValue(), 0),
                    median(e.getValue(), 1), e.getValue().stream().map(v -> String.format("%.0f/%.0f", v[0], v[1]))
                            .toList());
        }
    }

    private static void download(int port, String path, int times) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl"));
        for (int i = 0; i < times; i++) {
            if (i > 0) {
                cmd.add("--next");
            }
            cmd.addAll(List.of("-sS", "--fail", "-o", "/dev/null", "http://127.0.0.1:" + port + path));
        }
        Forked.Result r = Forked.run(Duration.ofMinutes(5), cmd);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("curl: " + r.stderr());
        }
    }

    /** utime+stime (clock ticks) and syscw of the whole process. */
    private static long[] counters(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long syscw = Files.readAllLines(Path.of("/proc/" + pid + "/io")).stream()
                .filter(l -> l.startsWith("syscw:")).mapToLong(l -> Long.parseLong(l.substring(6).trim()))
                .findFirst().orElse(-1);
        return new long[] {ticks, syscw};
    }

    private static double median(List<double[]> values, int index) {
        double[] v = values.stream().mapToDouble(a -> a[index]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
