package zc.session.stats;

import java.util.Arrays;
import java.util.List;

/** Median, minimum and maximum of one metric over the runs of one side. */
public record Spread(double median, double min, double max) {

    public static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Spread(median(v), v[0], v[v.length - 1]);
    }

    /** The median of sorted values. */
    public static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return median(v);
    }
}
