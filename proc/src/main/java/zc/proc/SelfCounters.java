package zc.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads this process's {@link Counters}, each from the best source available, and names the sources so every
 * figure zc prints can say where it came from. With native calls: getrusage for CPU (microseconds), faults and
 * context switches of all threads; without: /proc/self/stat (10 ms ticks) and the live threads' status files.
 */
public final class SelfCounters {
    private static final Path SELF = Path.of("/proc/self");

    private final boolean rusage;

    private SelfCounters(boolean rusage) {
        this.rusage = rusage;
    }

    /** Uses getrusage when native calls work here, /proc alone otherwise. */
    public static SelfCounters open() {
        return new SelfCounters(Rusage.available());
    }

    public Counters read() {
        try {
            long wall = System.nanoTime();
            ProcIo io = ProcIo.read(SELF.resolve("io"));
            if (rusage) {
                Rusage r = Rusage.self();
                return new Counters(io.syscr(), io.syscw(), io.rchar(), io.wchar(),
                        r.voluntaryCtxSwitches(), r.nonvoluntaryCtxSwitches(), r.minorFaults(), r.majorFaults(),
                        r.userNs(), r.sysNs(), wall);
            }
            ProcStat stat = ProcStat.read(SELF.resolve("stat"));
            TaskStatus threads = Tasks.sumLiveThreads(SELF);
            return new Counters(io.syscr(), io.syscw(), io.rchar(), io.wchar(),
                    threads.voluntaryCtxSwitches(), threads.nonvoluntaryCtxSwitches(),
                    stat.minorFaults(), stat.majorFaults(), stat.utimeNs(), stat.stimeNs(), wall);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For each field of {@link Counters}, where its value comes from. */
    public Map<String, String> sources() {
        Map<String, String> s = new LinkedHashMap<>();
        for (String f : new String[] {"syscr", "syscw", "rchar", "wchar"}) {
            s.put(f, "/proc/self/io");
        }
        String ctx = rusage ? "getrusage(RUSAGE_SELF)" : "sum of /proc/self/task/*/status (live threads only)";
        String faults = rusage ? "getrusage(RUSAGE_SELF)" : "/proc/self/stat";
        String cpu = rusage ? "getrusage(RUSAGE_SELF), microseconds" : "/proc/self/stat, 10 ms ticks";
        s.put("voluntaryCtxSwitches", ctx);
        s.put("nonvoluntaryCtxSwitches", ctx);
        s.put("minorFaults", faults);
        s.put("majorFaults", faults);
        s.put("cpuUserNs", cpu);
        s.put("cpuSysNs", cpu);
        s.put("wallNs", "System.nanoTime");
        return s;
    }
}
