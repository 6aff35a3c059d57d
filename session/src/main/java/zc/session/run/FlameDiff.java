package zc.session.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import one.convert.Arguments;
import one.convert.FlameGraph;
import zc.session.model.RunRecord;

/**
 * Flame graphs of a session: all A runs' stacks together and all B runs', each as collapsed stacks and as
 * async-profiler's HTML, and their difference normalised per GiB moved (jfr-converter's own diff compares raw
 * sample counts, which says nothing when B moved more bytes than A). The difference is written in the
 * {@code stack countA countB} format of difffolded: counts are samples per GiB.
 */
final class FlameDiff {
    private static final double GIB = 1L << 30;

    private FlameDiff() {
    }

    static String write(Path dir, java.util.List<RunRecord> runs) {
        try {
            Map<String, Double> a = perGib(dir, runs, "A");
            Map<String, Double> b = perGib(dir, runs, "B");
            if (a.isEmpty() && b.isEmpty()) {
                return null;
            }
            writeSide(dir, "A", a);
            writeSide(dir, "B", b);
            StringBuilder diff = new StringBuilder();
            for (String stack : new TreeSet<>(union(a, b))) {
                diff.append(stack).append(' ').append(Math.round(a.getOrDefault(stack, 0.0))).append(' ')
                        .append(Math.round(b.getOrDefault(stack, 0.0))).append('\n');
            }
            Path out = dir.resolve("flame-diff-per-gib.collapsed");
            Files.writeString(out, diff);
            return dir.relativize(out).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static java.util.Set<String> union(Map<String, Double> a, Map<String, Double> b) {
        java.util.Set<String> s = new java.util.HashSet<>(a.keySet());
        s.addAll(b.keySet());
        return s;
    }

    private static Map<String, Double> perGib(Path dir, java.util.List<RunRecord> runs, String side)
            throws IOException {
        Map<String, Double> stacks = new TreeMap<>();
        long bytes = 0;
        for (RunRecord r : runs) {
            if (!r.ok() || r.warmup() || !r.side().equals(side) || r.profile() == null
                    || r.profile().collapsed() == null) {
                continue;
            }
            bytes += r.bytes();
            for (String line : Files.readAllLines(dir.resolve(r.profile().collapsed()))) {
                int space = line.lastIndexOf(' ');
                if (space > 0) {
                    stacks.merge(line.substring(0, space), Double.parseDouble(line.substring(space + 1)), Double::sum);
                }
            }
        }
        if (bytes > 0) {
            double scale = GIB / bytes;
            stacks.replaceAll((k, v) -> v * scale);
        }
        return stacks;
    }

    private static void writeSide(Path dir, String side, Map<String, Double> stacks) throws IOException {
        StringBuilder b = new StringBuilder();
        stacks.forEach((k, v) -> {
            long n = Math.round(v);
            if (n > 0) {
                b.append(k).append(' ').append(n).append('\n');
            }
        });
        Path collapsed = dir.resolve("flame-" + side + "-per-gib.collapsed");
        Files.writeString(collapsed, b);
        Arguments args = new Arguments();
        args.title = "zc " + side + " (samples per GiB moved)";
        FlameGraph.convert(collapsed.toString(), dir.resolve("flame-" + side + ".html").toString(), args);
    }
}
