package zc.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fields of {@code /proc/PID/stat} (or {@code /proc/PID/task/TID/stat}) that zc reads. Faults and CPU ticks
 * aggregate all threads, exited ones included; CPU time ticks at 1/CLK_TCK (10 ms on Linux x86-64), too coarse for
 * short runs, which is why {@link Rusage} is preferred when it is available.
 */
public record ProcStat(String comm, char state, long minorFaults, long majorFaults, long utimeTicks,
                       long stimeTicks, int threads) {

    /** USER_HZ as seen by /proc; fixed at 100 on every mainstream Linux architecture. */
    public static final long TICKS_PER_SECOND = 100;

    public static ProcStat read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static ProcStat parse(String text) {
        // comm may hold spaces and parentheses: it ends at the last ')'.
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + abbreviate(text));
        }
        String[] f = text.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state) of proc(5); field k is f[k - 3].
        if (f.length < 18) {
            throw new IllegalArgumentException("short /proc stat line: " + abbreviate(text));
        }
        return new ProcStat(text.substring(open + 1, close), f[0].charAt(0),
                Long.parseLong(f[10 - 3]), Long.parseLong(f[12 - 3]),
                Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3]), Integer.parseInt(f[20 - 3]));
    }

    public long utimeNs() {
        return utimeTicks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    public long stimeNs() {
        return stimeTicks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
