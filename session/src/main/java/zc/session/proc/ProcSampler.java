package zc.session.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import zc.proc.Counters;
import zc.proc.ProcIo;
import zc.proc.ProcStat;
import zc.proc.TaskStatus;

/**
 * Samples another process's counters from /proc while it runs. Process-wide files ({@code io}, {@code stat}) include
 * threads that have exited; per-thread ones do not, so each thread's context switches and run time are remembered
 * at their last sample and still counted after the thread is gone (at most one sampling interval of its activity
 * is missed). CPU time comes from {@code task/TID/schedstat} in nanoseconds, split into user and system in the
 * proportion of the 10 ms ticks of {@code stat}, as getrusage splits it.
 *
 * <p>This stays on /proc rather than OSHI (which gives the machine's facts, {@code zc.session.env.Machine}): OSHI's
 * process view reads context switches from {@code /proc/PID/status}, which for a Java process counts the launcher
 * thread alone (0); its thread view lists live threads only, so the switches of threads that exited between two
 * samples would be lost; and it has no {@code syscr}/{@code syscw}, the read and write system call counts that show
 * what a rewrite saved (sendfile counts one of each).
 */
public final class ProcSampler {
    private final long pid;
    private final Map<Long, long[]> threads = new HashMap<>();

    public ProcSampler(long pid) {
        this.pid = pid;
    }

    /** Samples {@code /proc}. */
    public Counters sample() throws IOException {
        return sample(Path.of("/proc"));
    }

    /**
     * Samples the process under {@code procRoot} (a copy of /proc in tests); throws NoSuchFileException once the
     * process is gone.
     */
    public Counters sample(Path procRoot) throws IOException {
        long now = System.nanoTime();
        Path dir = procRoot.resolve(String.valueOf(pid));
        ProcIo io = ProcIo.read(dir.resolve("io"));
        ProcStat stat = ProcStat.read(dir.resolve("stat"));
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir.resolve("task"))) {
            for (Path task : tasks) {
                try {
                    TaskStatus status = TaskStatus.read(task.resolve("status"));
                    long runNs = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new long[] {status.voluntaryCtxSwitches(), status.nonvoluntaryCtxSwitches(), runNs});
                } catch (NoSuchFileException exited) {
                    // the thread ended between the listing and the read: its last sample stands
                }
            }
        }
        long[] sum = sumThreads();
        long voluntary = sum[0];
        long nonvoluntary = sum[1];
        long runNs = sum[2];
        long ticks = stat.utimeTicks() + stat.stimeTicks();
        long userNs = ticks == 0 ? runNs : runNs * stat.utimeTicks() / ticks;
        return new Counters(io.syscr(), io.syscw(), io.rchar(), io.wchar(), voluntary, nonvoluntary,
                stat.minorFaults(), stat.majorFaults(), userNs, runNs - userNs, now);
    }

    /**
     * The final counters from the process's own snapshot at exit, merged with every thread seen by earlier samples
     * (threads that exited before the snapshot keep their last sampled counts).
     */
    public Counters atExit(ExitSnapshot exit) {
        for (ExitSnapshot.ThreadAtExit t : exit.threads()) {
            threads.put(t.tid(), new long[] {t.voluntary(), t.nonvoluntary(), t.runNs()});
        }
        long[] sum = sumThreads();
        long ticks = exit.utimeTicks() + exit.stimeTicks();
        long userNs = ticks == 0 ? sum[2] : sum[2] * exit.utimeTicks() / ticks;
        return new Counters(exit.syscr(), exit.syscw(), exit.rchar(), exit.wchar(), sum[0], sum[1],
                exit.minorFaults(), exit.majorFaults(), userNs, sum[2] - userNs, System.nanoTime());
    }

    private long[] sumThreads() {
        long[] sum = new long[3];
        for (long[] t : threads.values()) {
            sum[0] += t[0];
            sum[1] += t[1];
            sum[2] += t[2];
        }
        return sum;
    }

    /** Threads seen so far, alive or not. */
    public int threadsSeen() {
        return threads.size();
    }
}
