package zc.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's options, {@code key=value} pairs separated by commas:
 *
 * <pre>
 *   mode=rewrite|observe|off   rewrite (default): copy loops go zero-copy where provably equivalent;
 *                              observe: loops are found and counted, bytes move exactly as before; off: nothing
 *   strategy=auto|sendfile|mmap  auto (default) = sendfile
 *   minBytes=N                 files with fewer bytes left stay on the original loop (k/m/g suffixes; default
 *                              64k with sendfile, 1m with mmap: below those the original loop is as fast)
 *   out=DIR                    write call-site statistics to DIR/zc-agent-PID.json at exit
 *   include=GLOB:GLOB          only classes matching one of these ('*' any run of characters, e.g. com.acme.*)
 *   exclude=GLOB:GLOB          never these classes
 *   log=quiet|error|info|debug error (default): failures only; info: a summary line at exit; debug: each decision
 *   sendfile=on|off, mmap=on|off  a switch per strategy (auto uses sendfile, or mmap when sendfile is off)
 *   receive=on|off             Files.copy(socket stream, Path) through zc's direct buffer (default on)
 *   recent=DURATION            sources whose status changed within this time keep the original loop (ms or s
 *                              suffix; default 0, off: docs/agent.md, Known differences, says why)
 *   cache=auto|off|DIR         where rewritten classes are kept for the next start (auto, the default:
 *                              $XDG_CACHE_HOME/zc/rewrite or ~/.cache/zc/rewrite; off: every start rewrites)
 *   hook=native|java           how classes are seen as they load: native (default), a JVMTI hook in C that passes
 *                              up only the classes that can hold a copy, where the agent jar has it for this
 *                              platform; java: a ClassFileTransformer that sees every class (docs/agent.md)
 *   config=FILE                a properties file with any of these keys
 * </pre>
 *
 * Each key can also come from {@code -Dzc.KEY}, from the environment as {@code ZC_KEY} (minBytes: ZC_MIN_BYTES),
 * or from the properties file; agent arguments win over system properties, which win over the environment, which
 * wins over the file. A bad option is one line on stderr and disables the agent; the application always runs.
 */
public record AgentOptions(Mode mode, Strategy strategy, long minBytes, String out, List<String> include,
                           List<String> exclude, Log log, boolean sendfile, boolean mmap,
                           boolean receive, long recentMillis, String cache, Hook hook) {

    public enum Mode { OFF, OBSERVE, REWRITE }

    public enum Strategy { AUTO, SENDFILE, MMAP }

    public enum Log { QUIET, ERROR, INFO, DEBUG }

    public enum Hook { NATIVE, JAVA }

    /**
     * The size thresholds tuned from {@code zc bench matrix} (docs/BENCHMARKS.md): sendfile is no slower than the
     * loop from 64 KiB on; mmap pays a map, page faults and an unmap per call, which made 64 KiB files slower than
     * the loop's, so it starts at 1 MiB.
     */
    public static final long DEFAULT_MIN_BYTES = 64 * 1024;
    public static final long DEFAULT_MMAP_MIN_BYTES = 1 << 20;

    static final List<String> KEYS = List.of("mode", "strategy", "minBytes", "out", "include", "exclude", "log",
            "sendfile", "mmap", "receive", "config", "recent", "cache", "hook");

    public static AgentOptions defaults() {
        return new AgentOptions(Mode.REWRITE, Strategy.AUTO, DEFAULT_MIN_BYTES, null, List.of(), List.of(), Log.ERROR,
                true, true, true, 0, "auto", Hook.NATIVE);
    }

    /** Parses the agent argument alone; throws IllegalArgumentException with a one-line message. */
    public static AgentOptions parse(String text) {
        return resolve(text, new java.util.Properties(), Map.of());
    }

    /**
     * The options from every source: the agent argument, then {@code -Dzc.KEY} ({@code system}), then
     * {@code ZC_KEY} ({@code env}), then the properties file named by {@code config} in any of them.
     */
    public static AgentOptions resolve(String args, java.util.Properties system, Map<String, String> env) {
        Map<String, String[]> values = new java.util.LinkedHashMap<>(); // key -> {value, where}
        Map<String, String[]> fromArgs = new java.util.LinkedHashMap<>();
        if (args != null && !args.isBlank()) {
            for (String pair : args.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("option '" + pair + "' is not key=value");
                }
                String key = pair.substring(0, eq).strip();
                known(key, "option");
                String[] v = fromArgs.get(key);
                String value = pair.substring(eq + 1).strip();
                if (v != null && !key.equals("include") && !key.equals("exclude")) {
                    throw new IllegalArgumentException(key + " given twice (" + v[1] + ", " + key + "=" + value + ")");
                }
                // include and exclude may be given more than once; they add up
                fromArgs.put(key, new String[] {v != null && (key.equals("include") || key.equals("exclude"))
                        ? v[0] + ":" + value : value, key + "=" + value});
            }
        }
        Map<String, String[]> fromSystem = new java.util.LinkedHashMap<>();
        Map<String, String[]> fromEnv = new java.util.LinkedHashMap<>();
        for (String key : KEYS) {
            String p = system.getProperty("zc." + key);
            if (p != null) {
                fromSystem.put(key, new String[] {p, "-Dzc." + key + "=" + p});
            }
            String e = env.get(envName(key));
            if (e != null) {
                fromEnv.put(key, new String[] {e, envName(key) + "=" + e});
            }
        }
        String config = first("config", fromArgs, fromSystem, fromEnv);
        if (config != null) {
            java.util.Properties file = new java.util.Properties();
            try (java.io.Reader r = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(config))) {
                file.load(r);
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read the config file " + config + ": "
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                        : e.getClass().getSimpleName() + (e.getMessage() != null ? " " + e.getMessage() : "")));
            }
            for (String key : file.stringPropertyNames()) {
                known(key, "key in " + config + ":");
                values.put(key, new String[] {file.getProperty(key).strip(), key + "=" + file.getProperty(key)
                        + " in " + config});
            }
        }
        values.putAll(fromEnv);
        values.putAll(fromSystem);
        values.putAll(fromArgs);
        return build(values);
    }

    private static AgentOptions build(Map<String, String[]> values) {
        AgentOptions o = defaults();
        Mode mode = o.mode;
        Strategy strategy = o.strategy;
        long minBytes = -1;
        String out = null;
        List<String> include = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        Log log = o.log;
        boolean sendfile = true;
        boolean mmap = true;
        boolean receive = true;
        long recent = o.recentMillis;
        String cache = o.cache;
        Hook hook = o.hook;
        for (Map.Entry<String, String[]> e : values.entrySet()) {
            String key = e.getKey();
            String value = e.getValue()[0];
            String where = e.getValue()[1];
            try {
                switch (key) {
                    case "mode" -> mode = choice(Mode.class, value);
                    case "strategy" -> strategy = choice(Strategy.class, value);
                    case "minBytes" -> minBytes = size(value);
                    case "out" -> out = value;
                    case "include" -> include.addAll(globs(value));
                    case "exclude" -> exclude.addAll(globs(value));
                    case "log" -> log = choice(Log.class, value);
                    case "sendfile" -> sendfile = onOff(value);
                    case "mmap" -> mmap = onOff(value);
                    case "receive" -> receive = onOff(value);
                    case "recent" -> recent = millis(value);
                    case "cache" -> cache = cache(value);
                    case "hook" -> hook = choice(Hook.class, value);
                    default -> {
                        // config: already used
                    }
                }
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + ": " + bad.getMessage());
            }
        }
        AgentOptions chosen = new AgentOptions(mode, strategy, DEFAULT_MIN_BYTES, out, List.copyOf(include),
                List.copyOf(exclude), log, sendfile, mmap, receive, recent, cache, hook);
        if (minBytes < 0) {
            minBytes = chosen.effective() == Strategy.MMAP ? DEFAULT_MMAP_MIN_BYTES : DEFAULT_MIN_BYTES;
        }
        return new AgentOptions(mode, strategy, minBytes, out, List.copyOf(include), List.copyOf(exclude), log,
                sendfile, mmap, receive, recent, cache, hook);
    }

    /** The zero-copy path calls take, after the switches: sendfile, mmap, or none (every loop kept). */
    public Strategy effective() {
        return switch (strategy) {
            case SENDFILE -> sendfile ? Strategy.SENDFILE : null;
            case MMAP -> mmap ? Strategy.MMAP : null;
            case AUTO -> sendfile ? Strategy.SENDFILE : mmap ? Strategy.MMAP : null;
        };
    }

    /**
     * The record's own format, written out: Installer prints the options with log=debug at start-up, where the
     * generated toString would link an ObjectMethods call site (docs/BENCHMARKS.md, start-up).
     */
    @Override
    public String toString() {
        return "AgentOptions[mode=" + mode + ", strategy=" + strategy + ", minBytes=" + minBytes + ", out=" + out
                + ", include=" + include + ", exclude=" + exclude + ", log=" + log + ", sendfile=" + sendfile
                + ", mmap=" + mmap + ", receive=" + receive + ", recentMillis=" + recentMillis + ", cache=" + cache
                + ", hook=" + hook + "]";
    }

    /** minBytes -> ZC_MIN_BYTES: an underscore between a lower-case and an upper-case letter (no regex to compile). */
    static String envName(String key) {
        StringBuilder name = new StringBuilder("ZC_");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (i > 0 && c >= 'A' && c <= 'Z' && key.charAt(i - 1) >= 'a' && key.charAt(i - 1) <= 'z') {
                name.append('_');
            }
            name.append(c);
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    private static void known(String key, String what) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException("unknown " + what + " '" + key + "' (known: " + String.join(", ", KEYS)
                    + ")");
        }
    }

    @SafeVarargs
    private static String first(String key, Map<String, String[]>... sources) {
        for (Map<String, String[]> m : sources) {
            if (m.containsKey(key)) {
                return m.get(key)[0];
            }
        }
        return null;
    }

    private static boolean onOff(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException("'" + value + "' is not on or off");
        };
    }

    /**
     * {@link #covers} for an internal name ({@code a/b/C}), without making the dotted name when there is no include
     * or exclude (the default): the start-up transformer asks this of every class the application loads.
     */
    public boolean coversInternalName(String internalName) {
        return include.isEmpty() && exclude.isEmpty() || covers(internalName.replace('/', '.'));
    }

    /** True when the class (dotted name) passes include and exclude. */
    public boolean covers(String className) {
        return (include.isEmpty() || Globs.matchesAny(include, className)) && !Globs.matchesAny(exclude, className);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + String.join("|", names));
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
            throw new IllegalArgumentException("'" + value + "' is not a size (e.g. 65536, 64k, 1m)");
        }
    }

    /** A duration in milliseconds: 500, 500ms, 2s. */
    private static long millis(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        long unit = v.endsWith("ms") ? 1 : v.endsWith("s") ? 1000 : 1;
        String digits = v.endsWith("ms") ? v.substring(0, v.length() - 2) : v.endsWith("s") ? v.substring(0,
                v.length() - 1) : v;
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > Long.MAX_VALUE / 1000) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (e.g. 500ms, 2s)");
        }
    }

    /** auto, off, or a directory (made absolute against the working directory when the agent opens it). */
    private static String cache(String value) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("'' is not auto, off or a directory");
        }
        return v.equalsIgnoreCase("auto") ? "auto" : v.equalsIgnoreCase("off") ? "off" : v;
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
