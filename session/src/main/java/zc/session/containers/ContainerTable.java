package zc.session.containers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import zc.session.matrix.MatrixTable;

/**
 * The container bench as Markdown: per container, size and client count, each variant's medians over the rounds
 * (CPU per GiB, write syscalls and minor faults per GiB, MB/s), zc's per-round ratios to the original loop and to
 * the container's own path (medians), and the targets: at 64 MiB and more zc's CPU per GiB at most 0.6x the
 * original's and 1.1x the own path's (where the container has one); below, never worse than the original beyond the
 * original's own spread between rounds.
 */
public final class ContainerTable {
    private final List<ContainerRun> runs;

    public ContainerTable(List<ContainerRun> runs) {
        this.runs = runs;
    }

    public String markdown(Map<String, String> ownLabels) {
        StringBuilder md = new StringBuilder();
        List<String> targets = new ArrayList<>();
        for (Map.Entry<String, List<ContainerRun>> c : group(runs, ContainerRun::container).entrySet()) {
            String own = ownLabels.get(c.getKey());
            md.append("#### ").append(c.getKey()).append(" (own path: ").append(own == null ? "none" : own)
                    .append(")\n\n");
            md.append("| size | clients | variant | CPU ms/GiB | write syscalls/GiB | minor faults/GiB | MB/s | "
                    + "zc / original | zc / own |\n|---|---|---|---|---|---|---|---|---|\n");
            for (List<ContainerRun> cell : group(c.getValue(), r -> r.size() + "/" + r.clients()).values()) {
                cell(cell, md, targets);
            }
            md.append('\n');
        }
        md.append("Targets:\n\n");
        targets.forEach(t -> md.append("- ").append(t).append('\n'));
        return md.append('\n').toString();
    }

    private static void cell(List<ContainerRun> cell, StringBuilder md, List<String> targets) {
        ContainerRun first = cell.get(0);
        Map<String, List<ContainerRun>> byVariant = group(cell, ContainerRun::variant);
        double zcOriginal = ratio(byVariant, "zc", "original");
        double zcOwn = ratio(byVariant, "zc", "own");
        for (ContainerVariant v : ContainerVariant.values()) {
            List<ContainerRun> rs = byVariant.getOrDefault(v.label(), List.of());
            if (rs.isEmpty()) {
                continue;
            }
            boolean zc = v == ContainerVariant.ZC;
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f | %.0f | %.0f | %.0f | %s | %s |%n",
                    MatrixTable.size(first.size()), first.clients(), v.label(),
                    median(rs, ContainerRun::cpuMsPerGib), median(rs, ContainerRun::writeSyscallsPerGib),
                    median(rs, ContainerRun::minorFaultsPerGib), median(rs, ContainerRun::megabytesPerSecond),
                    zc ? x(zcOriginal) : "", zc ? x(zcOwn) : ""));
        }
        String where = first.container() + " " + MatrixTable.size(first.size()) + " x" + first.clients();
        if (first.size() >= 64L << 20) {
            targets.add(verdict(zcOriginal <= 0.6) + where + ": zc's CPU/GiB <= 0.6x the original's ("
                    + x(zcOriginal) + ")");
            if (byVariant.containsKey("own")) {
                targets.add(verdict(zcOwn <= 1.1) + where + ": zc's CPU/GiB <= 1.1x the container's own path ("
                        + x(zcOwn) + ")");
            }
        } else {
            List<ContainerRun> original = byVariant.getOrDefault("original", List.of());
            double spread = spread(original);
            targets.add(verdict(zcOriginal <= 1 + spread) + where + ": zc's CPU/GiB not worse than the original's "
                    + "beyond its spread between rounds (" + x(zcOriginal) + ", spread " + String.format(Locale.ROOT,
                    "%.0f%%", spread * 100) + ")");
        }
    }

    private static String verdict(boolean met) {
        return met ? "**met**: " : "**missed**: ";
    }

    private static String x(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** The median over rounds of a/b, CPU per GiB of the same round. */
    private static double ratio(Map<String, List<ContainerRun>> byVariant, String a, String b) {
        List<Double> ratios = new ArrayList<>();
        for (ContainerRun x : byVariant.getOrDefault(a, List.of())) {
            for (ContainerRun y : byVariant.getOrDefault(b, List.of())) {
                if (x.round() == y.round() && y.cpuMsPerGib() > 0) {
                    ratios.add(x.cpuMsPerGib() / y.cpuMsPerGib());
                }
            }
        }
        return ratios.isEmpty() ? Double.NaN : median(ratios);
    }

    /** (max - min) / median of the runs' CPU per GiB. */
    private static double spread(List<ContainerRun> rs) {
        if (rs.size() < 2) {
            return 0;
        }
        List<Double> v = rs.stream().map(ContainerRun::cpuMsPerGib).sorted().toList();
        return (v.get(v.size() - 1) - v.get(0)) / median(v);
    }

    static double median(List<ContainerRun> rs, ToDoubleFunction<ContainerRun> f) {
        return median(rs.stream().map(f::applyAsDouble).toList());
    }

    static double median(List<Double> values) {
        List<Double> v = values.stream().sorted(Comparator.naturalOrder()).toList();
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static <K> Map<K, List<ContainerRun>> group(List<ContainerRun> rs,
                                                        java.util.function.Function<ContainerRun, K> key) {
        return rs.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.toList()));
    }
}
