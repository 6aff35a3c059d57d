package zc.agent.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every call site the agent has seen, by id: the id is the constant the rewritten code passes to the dispatcher.
 * Also keeps the agent's own failures, each reported on stderr once.
 */
public final class Stats {
    private static final Object LOCK = new Object();
    private static volatile CallSite[] sites = new CallSite[64];
    private static volatile SiteCounters[] counters = new SiteCounters[64];
    private static int count;
    private static final java.util.Map<String, String> ERRORS = new ConcurrentHashMap<>();
    private static final java.util.Map<String, List<Integer>> BY_CLASS = new java.util.HashMap<>();
    private static volatile boolean quiet;
    /** Dispatcher calls running now; the exit hook writes again when one ends after it (see {@link #atExit}). */
    private static final java.util.concurrent.atomic.AtomicInteger RUNNING = new java.util.concurrent.atomic.AtomicInteger();
    private static volatile Runnable afterExit;
    private static final long LATE_WRITE_NANOS = 200_000_000L;
    private static volatile long lastLateWrite;

    private Stats() {
    }

    /** Registers a site; returns its id. */
    public static int register(CallSite site) {
        synchronized (LOCK) {
            if (count == sites.length) {
                CallSite[] s = java.util.Arrays.copyOf(sites, count * 2);
                SiteCounters[] c = java.util.Arrays.copyOf(counters, count * 2);
                s[count] = site;
                c[count] = new SiteCounters();
                counters = c;
                sites = s;
            } else {
                counters[count] = new SiteCounters();
                sites[count] = site;
            }
            List<Integer> ids = BY_CLASS.get(site.className());
            if (ids == null) {
                ids = new ArrayList<>();
                BY_CLASS.put(site.className(), ids);
            }
            ids.add(count);
            return count++;
        }
    }

    /** Marks every site of a class declined: its transformation failed and the class loads unchanged. */
    public static void declineClass(String className, String reason) {
        synchronized (LOCK) {
            for (int id : BY_CLASS.getOrDefault(className, List.of())) {
                CallSite s = sites[id];
                sites[id] = new CallSite(s.className(), s.method(), s.line(), s.shape(), CallSite.Status.DECLINED,
                        reason);
            }
        }
    }

    public static CallSite site(int id) {
        return sites[id];
    }

    public static SiteCounters counters(int id) {
        return counters[id];
    }

    public static List<Integer> ids() {
        synchronized (LOCK) {
            List<Integer> ids = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ids.add(i);
            }
            return ids;
        }
    }

    public static void callStarted() {
        RUNNING.incrementAndGet();
    }

    /**
     * A dispatcher call ended; after the exit hook ran, the figures are written again when no call is left running,
     * and otherwise at most every {@link #LATE_WRITE_NANOS}, so that hundreds of requests finishing during a
     * graceful shutdown do not each write the file.
     */
    public static void callEnded() {
        int left = RUNNING.decrementAndGet();
        Runnable late = afterExit;
        long now = System.nanoTime();
        if (late != null && (left == 0 || now - lastLateWrite > LATE_WRITE_NANOS)) {
            lastLateWrite = now;
            late.run();
        }
    }

    /**
     * Runs {@code write} now and again as dispatcher calls end later (see {@link #callEnded}). The JVM runs shutdown hooks
     * concurrently: an application's own hook may still be finishing requests (a graceful shutdown) when zc's
     * runs, and those calls' bytes would otherwise be missing from the file. {@code write} must be safe to run
     * concurrently and repeatedly.
     */
    public static void atExit(Runnable write) {
        lastLateWrite = System.nanoTime();
        afterExit = write;
        write.run();
    }

    public static int running() {
        return RUNNING.get();
    }

    public static void quiet(boolean value) {
        quiet = value;
    }

    /**
     * Records a failure inside zc. The first of each kind (exception and message) is printed on stderr with where it
     * happened; the same failure elsewhere (say, a class file version too new for ASM, class after class) is not
     * printed again.
     */
    public static void error(String what, Throwable t) {
        String line = what + ": " + t;
        if (ERRORS.putIfAbsent(String.valueOf(t), line) == null && !quiet) {
            System.err.println("zc-agent: " + line + " (left the code as it was)");
        }
    }

    public static List<String> errors() {
        return new ArrayList<>(ERRORS.values());
    }
}
