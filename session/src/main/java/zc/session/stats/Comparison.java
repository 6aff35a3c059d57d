package zc.session.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * B against A for one metric, from runs measured in pairs (A then B, or B then A, interleaved). The ratio B/A is
 * taken within each pair, so that drift of a noisy machine cancels out; its median is the estimate and a
 * percentile bootstrap over the pairs (2,000 resamples, fixed seed: the same data always gives the same interval)
 * its 95% interval.
 *
 * @param metric  name, e.g. "cpu per GiB"
 * @param unit    unit of the A and B values
 * @param a       spread of A's values
 * @param b       spread of B's values
 * @param ratio   median of the per-pair ratios B/A
 * @param low     2.5th percentile of the bootstrapped median ratio
 * @param high    97.5th percentile
 * @param verdict one line, e.g. "B: 0.42x the CPU per GiB [0.38, 0.47]"
 * @param warning why the interval does not support a conclusion, or null
 */
public record Comparison(String metric, String unit, Spread a, Spread b, double ratio, double low, double high,
                         String verdict, String warning) {

    static final int RESAMPLES = 2000;
    /**
     * An interval wider than this factor (high/low) is too wide to conclude how large the change is, even when it
     * lies on one side of 1.0 (which says that there is a change).
     */
    static final double WIDE = 3;

    public static Comparison of(String metric, String unit, List<Double> a, List<Double> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            throw new IllegalArgumentException("paired values needed: " + a.size() + " A, " + b.size() + " B");
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(ratio(a.get(i), b.get(i)));
        }
        double median = Spread.median(ratios);
        double[] interval = bootstrap(ratios);
        String verdict = String.format(Locale.ROOT, "B: %sx the %s [%s, %s]", fmt(median), metric, fmt(interval[0]),
                fmt(interval[1]));
        return new Comparison(metric, unit, Spread.of(a), Spread.of(b), median, interval[0], interval[1], verdict,
                warning(ratios.size(), interval));
    }

    /** b/a, with 0/0 = 1 (no change) and x/0 = infinity. */
    static double ratio(double a, double b) {
        if (a == 0) {
            return b == 0 ? 1 : Double.POSITIVE_INFINITY;
        }
        return b / a;
    }

    static double[] bootstrap(List<Double> ratios) {
        Random random = new Random(42);
        int n = ratios.size();
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[n];
        for (int r = 0; r < RESAMPLES; r++) {
            for (int i = 0; i < n; i++) {
                sample[i] = ratios.get(random.nextInt(n));
            }
            Arrays.sort(sample);
            medians[r] = Spread.median(sample);
        }
        Arrays.sort(medians);
        return new double[] {medians[(int) (0.025 * RESAMPLES)], medians[(int) Math.ceil(0.975 * RESAMPLES) - 1]};
    }

    private static String warning(int pairs, double[] interval) {
        if (pairs < 3) {
            return "only " + pairs + " pair(s): too few to conclude";
        }
        if (interval[0] <= 1 && interval[1] >= 1 && interval[0] != interval[1]) {
            return "the interval includes 1.0: no difference shown";
        }
        if (interval[0] > 0 && interval[1] / interval[0] > WIDE) {
            return String.format(Locale.ROOT, "the interval spans %.1fx: too noisy to conclude", interval[1] / interval[0]);
        }
        return null;
    }

    static String fmt(double v) {
        if (Double.isInfinite(v)) {
            return "inf";
        }
        if (v == 0) {
            return "0";
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v)
                : v >= 0.1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.2g", v);
    }
}
