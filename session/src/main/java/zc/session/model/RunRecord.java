package zc.session.model;

import zc.proc.Counters;

/**
 * One run of the application in a session.
 *
 * @param index    1-based, in the order the runs happened
 * @param pair     the pair it belongs to (0 for the warm-up)
 * @param side     "A" or "B"
 * @param status   "ok", "failed" or "interrupted"
 * @param error    what went wrong, or null
 * @param exitCode the application's exit status, or null when zc stopped it
 * @param bytes    bytes moved by the workload: received by zc's HTTP driver, or written by the application (wchar)
 * @param counters the target JVM's counters over the measured window (JVM start-up excluded for HTTP and command
 *                 workloads, included when the application runs to completion)
 * @param pid      the JVM measured
 * @param dir      the run's folder, relative to the session folder
 * @param profile  the profile of the run, or null without profiler
 * @param agentStats the agent's statistics file, relative to the session folder, or null
 */
public record RunRecord(int index, int pair, String side, boolean warmup, String status, String error, Integer exitCode,
                        long bytes, Counters counters, long pid, String dir, ProfileInfo profile,
                        String agentStats) {

    public boolean ok() {
        return "ok".equals(status);
    }
}
