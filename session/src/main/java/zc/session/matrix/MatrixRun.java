package zc.session.matrix;

import zc.proc.Counters;

/** One measured run: a variant serving {@code requests} GETs of one file to {@code clients} clients. */
public record MatrixRun(String network, long size, int clients, String variant, int round, long bytes,
                        long requests, Counters server) {

    private static final double GIB = 1L << 30;

    public double megabytesPerSecond() {
        return bytes / 1e6 / (server.wallNs() / 1e9);
    }

    public double cpuMsPerGib() {
        return server.cpuNs() / 1e6 * GIB / bytes;
    }

    public double syscwPerGib() {
        return server.syscw() * GIB / bytes;
    }

    public double contextSwitchesPerGib() {
        return server.contextSwitches() * GIB / bytes;
    }
}
