package zc.agent.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened at one call site at run time: calls, bytes per path, why calls kept the original code (calls and
 * bytes per reason), and in mode=observe what a rewrite would have moved zero-copy.
 */
public final class SiteCounters {
    /** The call of this thread that runs the application's original code, if any ({@link #original}). */
    private static final ThreadLocal<Original> CURRENT = new ThreadLocal<>();
    private final LongAdder calls = new LongAdder();
    private final ConcurrentHashMap<Path, LongAdder> bytes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> via = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> fallbackBytes = new ConcurrentHashMap<>();
    private final LongAdder wouldCalls = new LongAdder();
    private final LongAdder wouldBytes = new LongAdder();
    private volatile String wouldPath;

    /** The ways bytes can leave a rewritten loop; DIRECT: socket -> file through one direct buffer (a receive). */
    public enum Path {
        SENDFILE("sendfile"), MMAP("mmap"), DIRECT("direct"), LOOP("loop");

        private final String id;

        Path(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public void call() {
        calls.increment();
    }

    public void bytes(Path path, long n) {
        if (n <= 0) {
            return;
        }
        Original call = CURRENT.get();
        if (path == Path.LOOP && call != null && (call.inner || call.site != this && call.whole)) {
            return; // moved inside a helper's original code: the helper's call counts them (they are its result)
        }
        adder(bytes, path).add(n);
        if (call != null && path == Path.LOOP && call.site == this) {
            call.bytes += n;
        } else if (call != null && path != Path.LOOP) {
            call.root().zeroCopy += n;
        }
    }

    /**
     * Starts a call that runs the application's original code: until {@link #end}, the loop bytes this thread
     * counts here are also counted under {@code declined} (why the call kept the original code) or, when that is
     * null, as bytes a rewrite would have moved by {@code wouldPath}, at most {@code planned} (mode=observe: the
     * rest is what the rewrite's own loop would copy, appended after the size was taken).
     *
     * @param whole true for a helper: its result counts every byte its original code moves, also those of copy
     *              loops inside it that are call sites themselves (commons-io's IOUtils.copy has its own loop);
     *              such inner calls then count their calls, not their bytes, so that no byte is counted twice,
     *              and bytes they move zero-copy are taken out of this call's ({@link Original#zeroCopyInside})
     */
    public Original original(String declined, long planned, String path, boolean whole) {
        Original enclosing = CURRENT.get();
        Original call = new Original(this, declined, planned, path, enclosing, whole);
        CURRENT.set(call);
        return call;
    }

    public void end(Original call) {
        if (call.outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(call.outer);
        }
        if (call.inner) {
            return;
        }
        if (call.declined != null) {
            fallbackBytes(call.declined, call.bytes);
        } else {
            wouldPath = call.path;
            wouldCalls.increment();
            wouldBytes.add(Math.min(call.bytes, call.planned));
        }
    }

    /**
     * Bytes of a call that zc had started zero-copy until its sink declined the rest ({@code reason}), moved the
     * ordinary way before that (a chunk written through the application's stream while a container had not yet
     * committed its response).
     */
    public void fallbackBytes(String reason, long n) {
        if (n > 0) {
            adder(fallbackBytes, reason).add(n);
        }
    }

    /** mode=observe, a call whose bytes the original code counts nowhere: what a rewrite would move, from its plan. */
    public void wouldMove(long planned, String path) {
        wouldPath = path;
        wouldCalls.increment();
        wouldBytes.add(Math.max(0, planned));
    }

    /** Zero-copy bytes by the sink's path: sendfile, mmap, or a container's (e.g. tomcat-sendfile). */
    public void via(String path, long n) {
        if (n > 0) {
            adder(via, path).add(n);
        }
    }

    public void fallback(String reason) {
        adder(fallbacks, reason).increment();
    }

    public long calls() {
        return calls.sum();
    }

    public long bytes(Path path) {
        LongAdder a = bytes.get(path);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> fallbacks() {
        return sums(fallbacks);
    }

    /** Per reason, the bytes the calls that kept the original code moved through it. */
    public Map<String, Long> fallbackBytes() {
        return sums(fallbackBytes);
    }

    /** mode=observe: calls a rewrite would have taken zero-copy. */
    public long wouldCalls() {
        return wouldCalls.sum();
    }

    /** mode=observe: bytes a rewrite would have moved zero-copy (by {@link #wouldPath}). */
    public long wouldBytes() {
        return wouldBytes.sum();
    }

    /** sendfile, mmap, direct or a container's path: how a rewrite would have moved them; null before any call. */
    public String wouldPath() {
        return wouldPath;
    }

    public Map<String, Long> via() {
        return sums(via);
    }

    private static Map<String, Long> sums(ConcurrentHashMap<String, LongAdder> adders) {
        Map<String, Long> m = new TreeMap<>();
        for (Map.Entry<String, LongAdder> e : adders.entrySet()) {
            m.put(e.getKey(), e.getValue().sum());
        }
        return m;
    }

    /**
     * The adder for a key, made on first use. Not computeIfAbsent with a lambda: these counters run on virtual
     * threads, and linking a lambda's call site defines a class, which pins the carrier (see JdkAccess.rethrown).
     */
    private static <K> LongAdder adder(ConcurrentHashMap<K, LongAdder> adders, K key) {
        LongAdder a = adders.get(key);
        if (a == null) {
            LongAdder fresh = new LongAdder();
            a = adders.putIfAbsent(key, fresh);
            if (a == null) {
                a = fresh;
            }
        }
        return a;
    }

    /** A call in progress through the original code; {@link #bytes} adds to it. */
    public static final class Original {
        private final SiteCounters site;
        private String declined;
        private final long planned;
        private final String path;
        private final Original outer;
        private final boolean whole;
        /** inside a helper's original code: its bytes are the helper's */
        private final boolean inner;
        private long bytes;
        private long zeroCopy;

        private Original(SiteCounters site, String declined, long planned, String path, Original outer,
                         boolean whole) {
            this.site = site;
            this.declined = declined;
            this.planned = planned;
            this.path = path;
            this.outer = outer;
            this.whole = whole;
            this.inner = outer != null && (outer.whole || outer.inner);
        }

        /**
         * mode=observe: the sink's own checks, made once the original code had run ({@code Sink.observed}), say a
         * rewrite would have declined this call: its bytes count under {@code reason}, not as what a rewrite moves.
         */
        public void declined(String reason) {
            declined = reason;
        }

        /** Bytes that call sites inside this call's original code moved zero-copy. */
        public long zeroCopyInside() {
            return zeroCopy;
        }

        private Original root() {
            Original r = this;
            while (r.outer != null) {
                r = r.outer;
            }
            return r;
        }
    }
}
