package zc.report.survey;

/**
 * zc's own measured costs per GiB moved: the one place the survey's estimates of what a rewrite saves come from.
 * Each figure is a median of the sender's counters per GiB, the original read/write loop against sendfile.
 *
 * @param source            where the figures were measured and published
 * @param loopCpuMs         CPU per GiB of the read/write loop
 * @param zeroCopyCpuMs     CPU per GiB of sendfile
 * @param loopWrites        write system calls per GiB of the loop
 * @param zeroCopyWrites    write-family system calls per GiB of sendfile
 * @param loopReads         read system calls per GiB of the loop
 * @param zeroCopyReads     read-family system calls per GiB of sendfile
 * @param caveat            what the estimate does not know
 */
public record MeasuredCosts(String source, double loopCpuMs, double zeroCopyCpuMs, double loopWrites,
                            double zeroCopyWrites, double loopReads, double zeroCopyReads, String caveat) {
    private static final double GIB = 1L << 30;

    /**
     * docs/BENCHMARKS.md, "The zero-copy table, loopback, JDK 17": {@code zc demo --size 1g --rounds 5}, measured
     * 2026-11-22 on 2 vCPUs; read-write 498 ms CPU, 16,384 write and 16,418 read calls per GiB; sendfile 234 ms, 1
     * and 13.
     */
    public static final MeasuredCosts ZERO_COPY_TABLE = new MeasuredCosts(
            "docs/BENCHMARKS.md, \"The zero-copy table, loopback, JDK 17\" (zc demo --size 1g --rounds 5, "
                    + "2026-11-22, 2 vCPUs): sender medians per GiB, read-write with a 64 KiB buffer against sendfile",
            498, 234, 16_384, 1, 16_418, 13,
            "a loop with a smaller buffer makes proportionally more calls (8 KiB: 8x), so the system calls saved are "
                    + "a lower bound; the CPU saved varies with file size and network (the benchmark matrix in the "
                    + "same file measured 0.68x-1.34x the loop's CPU per GiB for the static-file server)");

    /** What moving {@code bytes} zero-copy instead of through the loop saves, by these figures. */
    public Savings savings(long bytes) {
        double gib = bytes / GIB;
        return new Savings(gib * (loopCpuMs - zeroCopyCpuMs), Math.round(gib * (loopWrites - zeroCopyWrites)),
                Math.round(gib * (loopReads - zeroCopyReads)));
    }

    /** An estimate: CPU milliseconds, write and read system calls. */
    public record Savings(double cpuMs, long writeCalls, long readCalls) {
    }
}
