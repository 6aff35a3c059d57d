package zc.session.containers;

import zc.proc.Counters;

/** One measured run: a variant of a container serving one size to some clients, with the server's counters. */
public record ContainerRun(String container, long size, int clients, String variant, int round, long bytes,
                           long requests, Counters counters, long jitNs) {

    private static final double GIB = 1L << 30;

    /** The server process's CPU per GiB sent, without its JIT compiler threads. */
    public double cpuMsPerGib() {
        return Math.max(0, counters.cpuNs() - jitNs) / 1e6 / (bytes / GIB);
    }

    public double writeSyscallsPerGib() {
        return counters.syscw() / (bytes / GIB);
    }

    /** Page faults that needed no I/O: a fresh mapping's pages as the kernel's copy from it touches them. */
    public double minorFaultsPerGib() {
        return counters.minorFaults() / (bytes / GIB);
    }

    public double megabytesPerSecond() {
        return bytes / 1e6 / (counters.wallNs() / 1e9);
    }
}
