package zc.agent.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import zc.agent.AgentOptions;

/**
 * Opens the rewrite cache the {@code cache} option names. Its directory must belong to the user the JVM runs as
 * and be writable by no one else: what it holds becomes the application's code. {@code auto} (the default) is
 * {@code $XDG_CACHE_HOME/zc/rewrite}, else {@code ~/.cache/zc/rewrite}, created with mode 700; where it cannot be
 * used (no home, a read-only file system) the cache is off without a word, since every start still works, only
 * slower; with {@code log=info} or a directory given by name, one line says why.
 */
public final class CacheDirectory {
    private static final Set<PosixFilePermission> OTHERS_WRITE = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private CacheDirectory() {
    }

    /** The cache, or null where it is off or cannot be used. Never throws. */
    public static RewriteCache open(AgentOptions options) {
        String setting = options.cache();
        if (setting.equals("off")) {
            return null;
        }
        boolean auto = setting.equals("auto");
        try {
            Path dir = auto ? automatic() : Path.of(setting).toAbsolutePath();
            String why = dir == null ? "no home directory" : unusable(dir);
            String key = why == null ? key(options) : null;
            if (why == null && key == null) {
                why = "the agent was not loaded from a jar file";
            }
            if (why == null) {
                return new RewriteCache(dir, key, options.log() == AgentOptions.Log.DEBUG);
            }
            say(options, auto, (dir == null ? "cache=auto" : "cache " + dir) + ": " + why);
        } catch (RuntimeException e) {
            say(options, auto, "cache=" + setting + ": " + e);
        }
        return null;
    }

    private static void say(AgentOptions options, boolean auto, String why) {
        if (options.log().compareTo(auto ? AgentOptions.Log.INFO : AgentOptions.Log.ERROR) >= 0) {
            System.err.println("zc-agent: " + why + "; the rewrite cache is off, every start rewrites");
        }
    }

    private static Path automatic() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Path.of(xdg, "zc", "rewrite");
        }
        String home = System.getProperty("user.home");
        return home != null && home.startsWith("/") ? Path.of(home, ".cache", "zc", "rewrite") : null;
    }

    /** Why {@code dir} cannot hold the cache, or null where it can (created if missing). */
    static String unusable(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
            if (!a.isDirectory()) {
                return "not a directory";
            }
            if (!a.owner().getName().equals(System.getProperty("user.name"))) {
                return "owned by " + a.owner().getName() + ", not by " + System.getProperty("user.name");
            }
            for (PosixFilePermission p : OTHERS_WRITE) {
                if (a.permissions().contains(p)) {
                    return "writable by others (" + PosixFilePermissions.toString(a.permissions()) + ")";
                }
            }
            return Files.isWritable(dir) ? null : "not writable";
        } catch (IOException | UnsupportedOperationException e) {
            return e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.toString();
        }
    }

    /**
     * What a cached rewrite must have been made with: this agent jar (its size and modification time: another
     * build rewrites differently), the mode (observe registers its sites as observed) and the JDK's feature version.
     */
    static String key(AgentOptions options) {
        try {
            java.security.CodeSource source = CacheDirectory.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return null;
            }
            java.io.File jar = new java.io.File(source.getLocation().toURI());
            if (!jar.isFile()) {
                return null;
            }
            return "zc-agent " + jar.length() + " " + jar.lastModified() + " mode=" + options.mode() + " java="
                    + System.getProperty("java.specification.version");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
