package zc.cli.demo;

import java.util.List;
import java.util.function.ToDoubleFunction;
import zc.proc.Counters;

/**
 * The medians per GiB moved of one strategy's runs: the figures of the demo table. Normalising per byte is what
 * makes runs of different sizes, and strategies with different chunk sizes, comparable.
 */
record PerGib(double syscr, double syscw, double voluntaryCtx, double nonvoluntaryCtx, double cpuMs,
              double minorFaults, double majorFaults, double megabytesPerSecond) {

    private static final double GIB = 1L << 30;

    static PerGib senders(List<DemoRun> runs) {
        return of(runs.stream().map(r -> new Sample(r.sender().bytes(), r.sender().counters())).toList());
    }

    static PerGib receivers(List<DemoRun> runs) {
        return of(runs.stream().filter(r -> r.receiver().counters() != null)
                .map(r -> new Sample(r.receiver().bytes(), r.receiver().counters())).toList());
    }

    double contextSwitches() {
        return voluntaryCtx + nonvoluntaryCtx;
    }

    private record Sample(long bytes, Counters c) {
        double perGib(long value) {
            return bytes == 0 ? 0 : value * GIB / bytes;
        }
    }

    private static PerGib of(List<Sample> s) {
        if (s.isEmpty()) {
            return null;
        }
        return new PerGib(median(s, x -> x.perGib(x.c.syscr())), median(s, x -> x.perGib(x.c.syscw())),
                median(s, x -> x.perGib(x.c.voluntaryCtxSwitches())),
                median(s, x -> x.perGib(x.c.nonvoluntaryCtxSwitches())),
                median(s, x -> x.perGib(x.c.cpuNs()) / 1e6),
                median(s, x -> x.perGib(x.c.minorFaults())), median(s, x -> x.perGib(x.c.majorFaults())),
                median(s, x -> x.c.wallNs() == 0 ? 0 : x.bytes * 1e3 / x.c.wallNs()));
    }

    static double median(List<Sample> samples, ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
