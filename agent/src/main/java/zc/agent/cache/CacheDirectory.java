package zc.agent.cache;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.CRC32;
import zc.agent.AgentOptions;

/**
 * Opens the rewrite cache the {@code cache} option names. What the cache holds becomes the application's code, so
 * only a directory that no one but this JVM's user (or root) can change is used: the directory, its symbolic links
 * resolved once at start (every later read goes to that real path), must be owned by this JVM's uid or by root and be
 * writable by no one else, and so must every directory above it, unless that one is sticky (as {@code /tmp} is: no
 * one can rename another user's entry in it). The uid is the process's own (the owner of {@code /proc/self}), not
 * the {@code user.name} property. A directory this JVM cannot write (a read-only image, an archive trained by root) is
 * used for reading only.
 *
 * <p>{@code auto} (the default) is {@code $XDG_CACHE_HOME/zc/rewrite}, else {@code ~/.cache/zc/rewrite}, created with
 * mode 700; where it cannot be used the cache is off without a word, since every start still works, only slower;
 * with {@code log=info} or a directory given by name, one line says why.
 */
public final class CacheDirectory {
    private CacheDirectory() {
    }

    /** The cache, or null where it is off or cannot be used. Never throws. */
    public static RewriteCache open(AgentOptions options) {
        String setting = options.cache();
        if (setting.equals("off")) {
            return null;
        }
        boolean auto = setting.equals("auto");
        Path named = null;
        try {
            named = auto ? automatic() : Path.of(setting).toAbsolutePath();
            if (named == null) {
                say(options, auto, "cache=auto: no home directory");
                return null;
            }
            int uid = uid();
            if (uid < 0) {
                say(options, auto, "cache " + named + ": cannot tell this JVM's uid (no /proc/self)");
                return null;
            }
            if (!Files.exists(named)) {
                // nothing is created inside a directory the cache could not trust
                Path existing = named.getParent();
                while (existing != null && !Files.exists(existing)) {
                    existing = existing.getParent();
                }
                String above = existing == null ? null : untrusted(existing.toRealPath(), uid, false, "the cache");
                if (above != null) {
                    say(options, auto, "cache " + named + ": " + existing + ": " + above);
                    return null;
                }
                Files.createDirectories(named, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path dir = named.toRealPath();
            String why = untrusted(dir, uid);
            String key = why == null ? key(options) : null;
            if (why == null && key == null) {
                why = "the agent was not loaded from a jar file";
            }
            if (why == null) {
                return new RewriteCache(dir, key, options.log(), Files.isWritable(dir), uid);
            }
            say(options, auto, "cache " + named + ": " + why);
        } catch (IOException | RuntimeException e) {
            say(options, auto, "cache " + (named == null ? setting : named) + ": "
                    + (e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e.toString()));
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

    /**
     * Why {@code dir} (a real path: no symbolic links) cannot be trusted by a JVM running as {@code uid}, or null
     * where it can: it and every directory above it owned by {@code uid} or root, none writable by group or others
     * but a sticky one above it.
     */
    static String untrusted(Path dir, int uid) throws IOException {
        return untrusted(dir, uid, true, "the cache");
    }

    /**
     * Why someone other than this JVM's uid or root could replace an entry of {@code dir} (a real path: no symbolic
     * links; the caller resolves it once and then uses it), or null where no one can: the rule of the cache's
     * directories above it, so a sticky {@code /tmp} passes. zc.agent.boot.NativeHook asks it of the temporary
     * directory it loads its library from.
     */
    public static String othersCanSwapEntries(Path dir) throws IOException {
        int uid = uid();
        return uid < 0 ? "this JVM's uid is unknown (no /proc/self)" : untrusted(dir, uid, false, "its entries");
    }

    /** As above; {@code leaf} false checks {@code dir} as a directory above the cache (it may be sticky). */
    private static String untrusted(Path dir, int uid, boolean leaf, String what) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            boolean cache = leaf && p.equals(dir);
            java.util.Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int owner = (Integer) a.get("uid");
            int mode = (Integer) a.get("mode");
            if (cache && (mode & 0170000) != 0040000) { // S_IFDIR
                return "not a directory";
            }
            if (owner != uid && owner != 0) {
                return (p.equals(dir) ? "" : p + ": ") + "owned by uid " + owner + ", neither this JVM's (" + uid
                        + ") nor root";
            }
            boolean othersWrite = (mode & 0022) != 0;
            if (othersWrite && (cache || (mode & 01000) == 0)) {
                return (p.equals(dir) ? "" : p + ": ") + "writable by others (" + Integer.toOctalString(mode & 07777)
                        + ")" + (cache ? "" : " and not sticky: " + what + " could be swapped under it");
            }
        }
        return null;
    }

    /**
     * The process's effective uid, or -1: the owner of {@code /proc/self}, which Linux gives the effective uid of a
     * dumpable process (and root for one that is not, which only narrows the cache to root's directories).
     */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux: no cache
        }
    }

    /**
     * What a cached rewrite must have been made with: this agent jar (a CRC-32 of its bytes and its size: another
     * build rewrites differently, also one a reproducible build gave the same time stamp), the mode (observe
     * registers its sites as observed) and the JDK's feature version.
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
            CRC32 crc = new CRC32();
            byte[] buf = new byte[64 * 1024];
            try (FileInputStream in = new FileInputStream(jar)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    crc.update(buf, 0, n);
                }
            }
            return "zc-agent " + jar.length() + " " + Long.toHexString(crc.getValue()) + " mode=" + options.mode()
                    + " java=" + System.getProperty("java.specification.version");
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
