package zc.session.matrix;

import zc.proc.Counters;

/**
 * One measured run: a variant serving {@code requests} GETs of one file to {@code clients} clients; {@code jitNs}
 * is the part of the server's CPU its JIT compiler threads used.
 */
public record MatrixRun(String network, long size, int clients, String variant, int round, long bytes,
                        long requests, Counters server, long jitNs) {

    private static final double GIB = 1L << 30;

    public double megabytesPerSecond() {
        return bytes / 1e6 / (server.wallNs() / 1e9);
    }

    /** The sender's CPU: every thread of the server but the JIT compilers. */
    public double cpuMsPerGib() {
        return (server.cpuNs() - jitNs) / 1e6 * GIB / bytes;
    }

    public double syscwPerGib() {
        return server.syscw() * GIB / bytes;
    }

    public double contextSwitchesPerGib() {
        return server.contextSwitches() * GIB / bytes;
    }
}
