package zc.agent.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What happened at one call site at run time: calls, bytes per path, and why calls fell back to the loop. */
public final class SiteCounters {
    private final LongAdder calls = new LongAdder();
    private final ConcurrentHashMap<Path, LongAdder> bytes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> fallbacks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> via = new ConcurrentHashMap<>();

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
        if (n > 0) {
            bytes.computeIfAbsent(path, p -> new LongAdder()).add(n);
        }
    }

    /** Zero-copy bytes by the sink's path: sendfile, mmap, or a container's (e.g. tomcat-sendfile). */
    public void via(String path, long n) {
        if (n > 0) {
            via.computeIfAbsent(path, p -> new LongAdder()).add(n);
        }
    }

    public void fallback(String reason) {
        fallbacks.computeIfAbsent(reason, r -> new LongAdder()).increment();
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

    public Map<String, Long> via() {
        return sums(via);
    }

    private static Map<String, Long> sums(ConcurrentHashMap<String, LongAdder> adders) {
        Map<String, Long> m = new TreeMap<>();
        adders.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
