package zc.session.proc;

import java.util.List;

/**
 * The counters zc-agent writes for its own process at JVM exit (the {@code process} section of its statistics
 * file): what the process did after the last outside sample.
 */
public record ExitSnapshot(long rchar, long wchar, long syscr, long syscw, long minorFaults, long majorFaults,
                           long utimeTicks, long stimeTicks, List<ThreadAtExit> threads) {

    public record ThreadAtExit(long tid, long voluntary, long nonvoluntary, long runNs) {
    }
}
