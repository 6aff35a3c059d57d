package zc.session.matrix;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;
import zc.session.stats.Comparison;
import zc.session.stats.Spread;

/** One variant in one (network, size, clients) cell: its runs by round, with medians and paired ratios. */
record Cell(String network, long size, int clients, String variant, List<MatrixRun> runs) {

    Cell {
        runs = runs.stream().sorted(Comparator.comparingInt(MatrixRun::round)).toList();
    }

    double median(ToDoubleFunction<MatrixRun> metric) {
        return Spread.median(values(metric));
    }

    List<Double> values(ToDoubleFunction<MatrixRun> metric) {
        return runs.stream().map(metric::applyAsDouble).toList();
    }

    /** This cell against {@code base}, paired by round: the median ratio with its bootstrap interval. */
    Comparison against(Cell base, String metric, ToDoubleFunction<MatrixRun> f) {
        List<Integer> rounds = runs.stream().map(MatrixRun::round)
                .filter(r -> base.runs.stream().anyMatch(b -> b.round() == r)).toList();
        List<Double> a = base.runs.stream().filter(r -> rounds.contains(r.round())).map(f::applyAsDouble).toList();
        List<Double> b = runs.stream().filter(r -> rounds.contains(r.round())).map(f::applyAsDouble).toList();
        return Comparison.of(metric, "", a, b);
    }
}
