package zc.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent's options, {@code key=value} pairs separated by commas:
 *
 * <pre>
 *   mode=rewrite|observe|off   rewrite (default): copy loops go zero-copy where provably equivalent;
 *                              observe: loops are found and counted, bytes move exactly as before; off: nothing
 *   strategy=auto|sendfile|mmap  auto (default) = sendfile
 *   minBytes=N                 files with fewer bytes left stay on the original loop (default 64k; k/m/g suffixes)
 *   out=DIR                    write call-site statistics to DIR/zc-agent-PID.json at exit
 *   include=GLOB:GLOB          only classes matching one of these ('*' any run of characters, e.g. com.acme.*)
 *   exclude=GLOB:GLOB          never these classes
 *   log=quiet|error|info|debug error (default): failures only; info: a summary line at exit; debug: each decision
 * </pre>
 *
 * A bad option is one line on stderr and disables the agent; the application always runs.
 */
public record AgentOptions(Mode mode, Strategy strategy, long minBytes, String out, List<String> include,
                           List<String> exclude, Log log) {

    public enum Mode { OFF, OBSERVE, REWRITE }

    public enum Strategy { AUTO, SENDFILE, MMAP }

    public enum Log { QUIET, ERROR, INFO, DEBUG }

    public static final long DEFAULT_MIN_BYTES = 64 * 1024;

    public static AgentOptions defaults() {
        return new AgentOptions(Mode.REWRITE, Strategy.AUTO, DEFAULT_MIN_BYTES, null, List.of(), List.of(), Log.ERROR);
    }

    /** Parses the agent argument; throws IllegalArgumentException with a one-line message. */
    public static AgentOptions parse(String text) {
        AgentOptions o = defaults();
        if (text == null || text.isBlank()) {
            return o;
        }
        Mode mode = o.mode;
        Strategy strategy = o.strategy;
        long minBytes = o.minBytes;
        String out = null;
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        Log log = o.log;
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("option '" + pair + "' is not key=value");
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            switch (key) {
                case "mode" -> mode = choice(Mode.class, key, value);
                case "strategy" -> strategy = choice(Strategy.class, key, value);
                case "minBytes" -> minBytes = size(value);
                case "out" -> out = value;
                case "include" -> include.addAll(globs(value));
                case "exclude" -> exclude.addAll(globs(value));
                case "log" -> log = choice(Log.class, key, value);
                default -> throw new IllegalArgumentException("unknown option '" + key
                        + "' (known: mode, strategy, minBytes, out, include, exclude, log)");
            }
        }
        return new AgentOptions(mode, strategy, minBytes, out, List.copyOf(include), List.copyOf(exclude), log);
    }

    /** True when the class (dotted name) passes include and exclude. */
    public boolean covers(String className) {
        if (!include.isEmpty() && include.stream().noneMatch(g -> Globs.matches(g, className))) {
            return false;
        }
        return exclude.stream().noneMatch(g -> Globs.matches(g, className));
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String key, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(key + "=" + value + " is not one of " + String.join("|", names));
    }

    private static long size(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        int shift = v.endsWith("k") ? 10 : v.endsWith("m") ? 20 : v.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("minBytes=" + value + " is not a size (e.g. 65536, 64k, 1m)");
        }
    }

    private static List<String> globs(String value) {
        List<String> list = new ArrayList<>();
        for (String g : value.split(":")) {
            if (!g.isBlank()) {
                list.add(g.strip());
            }
        }
        return list;
    }
}
