package zc.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * {@code getrusage(RUSAGE_SELF)}: CPU time in microseconds, faults and context switches for the whole process, with
 * the counts of threads that have already exited (the kernel folds them into the process on thread exit). No file
 * under /proc offers context switches that way.
 */
public record Rusage(long userNs, long sysNs, long minorFaults, long majorFaults, long voluntaryCtxSwitches,
                     long nonvoluntaryCtxSwitches) {

    private static final int RUSAGE_SELF = 0;
    // struct rusage on 64-bit Linux: two struct timeval (sec, usec) then 14 longs.
    private static final int WORDS = 18;

    interface LibC extends Library {
        int getrusage(int who, long[] usage) throws LastErrorException;
    }

    /** Holder so a missing JNA is seen when first used, not when this class loads. */
    private static final class Native0 {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    /** The process's usage now; throws if native calls are unavailable (no JNA, not Linux). */
    public static Rusage self() {
        long[] u = new long[WORDS];
        Native0.LIBC.getrusage(RUSAGE_SELF, u);
        return fromWords(u);
    }

    static Rusage fromWords(long[] u) {
        return new Rusage(u[0] * 1_000_000_000L + u[1] * 1_000L, u[2] * 1_000_000_000L + u[3] * 1_000L,
                u[8], u[9], u[16], u[17]);
    }

    /** True when {@link #self()} works here. */
    public static boolean available() {
        try {
            self();
            return true;
        } catch (Throwable e) {
            return false;
        }
    }
}
