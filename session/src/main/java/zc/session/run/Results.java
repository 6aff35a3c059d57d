package zc.session.run;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import zc.session.model.RunRecord;
import zc.session.stats.Comparison;

/** The comparisons of a session: per metric, normalised per GiB moved, over the pairs whose two runs are ok. */
record Results(List<Comparison> comparisons, List<String> warnings) {
    private static final double GIB = 1L << 30;

    static Results of(List<RunRecord> runs) {
        List<RunRecord[]> pairs = new ArrayList<>();
        int maxPair = runs.stream().mapToInt(RunRecord::pair).max().orElse(0);
        for (int p = 1; p <= maxPair; p++) {
            RunRecord a = find(runs, p, "A");
            RunRecord b = find(runs, p, "B");
            if (a != null && b != null && a.ok() && b.ok() && a.bytes() > 0 && b.bytes() > 0) {
                pairs.add(new RunRecord[] {a, b});
            }
        }
        List<String> warnings = new ArrayList<>();
        if (pairs.size() < maxPair) {
            warnings.add((maxPair - pairs.size()) + " pair(s) left out: a run failed or moved no bytes");
        }
        List<Comparison> comparisons = new ArrayList<>();
        if (pairs.isEmpty()) {
            warnings.add("no complete pair: nothing to compare");
            return new Results(comparisons, warnings);
        }
        comparisons.add(compare(pairs, "CPU per GiB", "ms", r -> perGib(r, r.counters().cpuNs() / 1e6)));
        comparisons.add(compare(pairs, "write syscalls per GiB", "", r -> perGib(r, r.counters().syscw())));
        comparisons.add(compare(pairs, "read syscalls per GiB", "", r -> perGib(r, r.counters().syscr())));
        comparisons.add(compare(pairs, "context switches per GiB", "",
                r -> perGib(r, r.counters().contextSwitches())));
        comparisons.add(compare(pairs, "minor faults per GiB", "", r -> perGib(r, r.counters().minorFaults())));
        comparisons.add(compare(pairs, "throughput", "MB/s", r -> r.bytes() * 1e3 / r.counters().wallNs()));
        for (Comparison c : comparisons) {
            if (c.warning() != null) {
                warnings.add(c.metric() + ": " + c.warning());
            }
        }
        return new Results(comparisons, warnings);
    }

    private static Comparison compare(List<RunRecord[]> pairs, String metric, String unit,
                                      ToDoubleFunction<RunRecord> f) {
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (RunRecord[] p : pairs) {
            a.add(f.applyAsDouble(p[0]));
            b.add(f.applyAsDouble(p[1]));
        }
        return Comparison.of(metric, unit, a, b);
    }

    private static double perGib(RunRecord r, double value) {
        return value * GIB / r.bytes();
    }

    private static RunRecord find(List<RunRecord> runs, int pair, String side) {
        return runs.stream().filter(r -> r.pair() == pair && r.side().equals(side)).findFirst().orElse(null);
    }
}
