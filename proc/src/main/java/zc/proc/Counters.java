package zc.proc;

/**
 * One process's counters, either a reading at an instant or, after {@link #minus}, what a run cost. The field names
 * are the JSON names of {@code zc demo --json} and of session files.
 */
public record Counters(long syscr, long syscw, long rchar, long wchar,
                       long voluntaryCtxSwitches, long nonvoluntaryCtxSwitches,
                       long minorFaults, long majorFaults,
                       long cpuUserNs, long cpuSysNs, long wallNs) {

    public Counters minus(Counters before) {
        return new Counters(syscr - before.syscr, syscw - before.syscw, rchar - before.rchar, wchar - before.wchar,
                voluntaryCtxSwitches - before.voluntaryCtxSwitches,
                nonvoluntaryCtxSwitches - before.nonvoluntaryCtxSwitches,
                minorFaults - before.minorFaults, majorFaults - before.majorFaults,
                cpuUserNs - before.cpuUserNs, cpuSysNs - before.cpuSysNs, wallNs - before.wallNs);
    }

    public long contextSwitches() {
        return voluntaryCtxSwitches + nonvoluntaryCtxSwitches;
    }

    public long cpuNs() {
        return cpuUserNs + cpuSysNs;
    }
}
