package zc.agent.cache;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import zc.agent.match.ClassFiles;
import zc.agent.match.LoopTransformer;
import zc.agent.match.Registrations;
import zc.agent.match.StreamTypePool;
import zc.agent.stats.Stats;

/**
 * Rewritten classes kept across starts, so that a later start of the same application serves them from disk
 * instead of loading ASM and running the finders cold (the largest part of zc's start-up cost: docs/BENCHMARKS.md,
 * start-up). One file per class file, named by a CRC-32 of its name and bytes; a hit needs the same class file byte
 * for byte, the same agent build, mode and JDK feature version ({@link #key}), and the same answers to the type
 * questions the rewrite asked of other classes. The call sites are registered again on a hit and the constants
 * the rewritten code passes to the dispatcher are renumbered for this JVM's ids.
 *
 * <p>Entries are written whole to a temporary file and renamed, so JVMs sharing the directory never read half an
 * entry; a damaged one fails its checksum and is a miss. Nothing here ever fails a class load: any failure is a
 * miss, and a directory that cannot be written turns the cache off for the rest of the run.
 */
public final class RewriteCache {
    /**
     * Past this many entries, those not used for {@link #UNUSED_MILLIS} go, least recently used first, down to three
     * quarters of it (once per JVM, at its first write). An entry's modification time is its last use: a hit sets it,
     * at most once per {@link #TOUCH_MILLIS}.
     */
    static final int MAX_ENTRIES = 2000;
    static final long UNUSED_MILLIS = 24L * 60 * 60 * 1000;
    static final long TOUCH_MILLIS = 60L * 60 * 1000;
    /** A temporary file this old was left by a JVM that died while writing it. */
    static final long STALE_TMP_MILLIS = 10 * 60 * 1000;

    private final File dir;
    private final String key;
    private final zc.agent.AgentOptions.Log log;
    /** False for a directory this JVM can only read, and after a failed write. */
    private volatile boolean writable;
    private volatile boolean pruned;
    private final int uid;

    /**
     * @param dir      the directory, symbolic links resolved ({@link CacheDirectory} checks who can change it)
     * @param key      what an entry must have been made with
     * @param log      the agent's log level: debug names each class served, quiet hides a failed write
     * @param writable false where the directory can only be read (a cache trained into a read-only image)
     * @param uid      this JVM's uid: an entry must be owned by it or by root
     */
    RewriteCache(Path dir, String key, zc.agent.AgentOptions.Log log, boolean writable, int uid) {
        this.uid = uid;
        this.dir = dir.toFile();
        this.key = key;
        this.log = log;
        this.writable = writable;
    }

    public Path dir() {
        return dir.toPath();
    }

    /**
     * The class file to define for {@code original}, from the cache: {@code result[0]} is the rewritten class file,
     * or null where the class is left as it was; null where the cache holds no valid entry for it. On a hit the
     * entry's call sites are registered, as the rewrite registered them.
     */
    public byte[][] lookup(ClassLoader loader, String name, byte[] original) {
        try {
            return find(loader, name, original);
        } catch (RuntimeException | LinkageError | OutOfMemoryError e) {
            return null; // a miss: the class is rewritten as without the cache
        }
    }

    private byte[][] find(ClassLoader loader, String name, byte[] original) {
        // an entry holds the class file, the result (a little longer) and its sites: anything much larger is not one
        byte[] file = read(new File(dir, fileName(key, name, original)), 4L * original.length + 65536);
        if (file == null) {
            return null;
        }
        CacheEntry entry = CacheEntry.read(file);
        if (entry == null || !entry.key().equals(key) || !entry.name().equals(name)
                || !Arrays.equals(entry.original(), original)) {
            return null;
        }
        if (!entry.answers().isEmpty() && !StreamTypePool.stillHold(loader, entry.answers())) {
            return null;
        }
        byte[] out = entry.output() == null ? null : entry.output().clone();
        for (CacheEntry.Site s : entry.sites()) {
            if (s.code() != -1 && (out == null || s.offset() < 1 || s.offset() + 4 > out.length
                    || out[s.offset() - 1] != 3 || ClassFiles.u4(out, s.offset()) != s.code())) {
                return null; // checked for every site before any is registered
            }
        }
        for (CacheEntry.Site s : entry.sites()) {
            int id = Stats.register(s.site());
            if (s.code() != -1) {
                int code = id << s.shift() | (s.code() & ((1 << s.shift()) - 1));
                out[s.offset()] = (byte) (code >>> 24);
                out[s.offset() + 1] = (byte) (code >>> 16);
                out[s.offset() + 2] = (byte) (code >>> 8);
                out[s.offset() + 3] = (byte) code;
            }
        }
        if (!entry.sites().isEmpty() && out != null) {
            zc.agent.jfr.CopyEvents.prepareSoon(); // what MethodRewriter does after a rewrite
        }
        if (log == zc.agent.AgentOptions.Log.DEBUG) {
            System.err.println("zc-agent: " + name + (out == null ? " unchanged" : " rewritten") + " (rewrite cache)");
        }
        return new byte[][] {out};
    }

    /**
     * Keeps {@code rewrite} of {@code original}, unless it is not cacheable or its codes cannot be found
     * unambiguously in the result (a code equal to a constant the class already had shares that constant's entry,
     * and renumbering it would change the class's own constant).
     */
    public void store(String name, byte[] original, LoopTransformer.Rewrite rewrite) {
        if (!writable || !rewrite.cacheable()) {
            return;
        }
        try {
            List<CacheEntry.Site> sites = sites(original, rewrite);
            if (sites == null) {
                return;
            }
            byte[] entry = new CacheEntry(key, name, original, rewrite.bytes(), sites, rewrite.answers()).write();
            prune();
            File target = new File(dir, fileName(key, name, original));
            File tmp = new File(dir, target.getName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime()
                    + ".tmp");
            try {
                try (FileOutputStream out = new FileOutputStream(tmp)) {
                    out.write(entry);
                }
                // writable by its owner alone, whatever the umask (a read refuses any other entry)
                if (!tmp.setWritable(false, false) || !tmp.setWritable(true, true)) {
                    throw new IOException("cannot set the mode of " + tmp);
                }
                if (!tmp.renameTo(target)) { // rename(2): atomic, and replaces an older entry
                    throw new IOException("cannot rename " + tmp + " to " + target);
                }
            } finally {
                tmp.delete();
            }
        } catch (IOException | RuntimeException | OutOfMemoryError | LinkageError e) {
            // not Stats.error: the class itself was rewritten, only the next start will not find it
            if (writable && log != zc.agent.AgentOptions.Log.QUIET) {
                System.err.println("zc-agent: the rewrite cache in " + dir + " cannot be written (" + e
                        + "); it is read-only for the rest of this run");
            }
            writable = false;
        }
    }

    private static List<CacheEntry.Site> sites(byte[] original, LoopTransformer.Rewrite rewrite) {
        List<CacheEntry.Site> sites = new ArrayList<>();
        List<ClassFiles.IntConstant> ints = rewrite.bytes() == null ? List.of() : ClassFiles.intConstants(rewrite.bytes());
        int originalCount = ClassFiles.poolCount(original);
        for (Registrations.Site s : rewrite.sites()) {
            int offset = 0;
            if (s.code() != -1) {
                ClassFiles.IntConstant only = null;
                for (ClassFiles.IntConstant c : ints) {
                    if (c.value() == s.code()) {
                        if (only != null) {
                            return null;
                        }
                        only = c;
                    }
                }
                if (only == null || only.index() < originalCount) {
                    return null;
                }
                offset = only.offset();
            }
            sites.add(new CacheEntry.Site(s.site(), s.code(), s.shift(), offset));
        }
        return sites;
    }

    /**
     * The file's bytes, or null where it is missing or unreadable. java.io, not java.nio.file: this runs while
     * classes load, ChannelInputStream among them (a Files stream would load it again: ClassCircularityError), and
     * under -XX:MaxDirectMemorySize=0 (NIO reads through a temporary direct buffer: OutOfMemoryError).
     */
    private byte[] read(File file, long limit) {
        long length;
        long lastUse;
        try {
            // not a link, a FIFO (its open would block the class load) or a device; owned by this uid or root and
            // writable by no one else, as the directory is: a loose umask must not let another user replace the code
            java.util.Map<String, Object> a = java.nio.file.Files.readAttributes(file.toPath(),
                    "unix:uid,mode,size,lastModifiedTime", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int owner = (Integer) a.get("uid");
            if ((mode & 0170000) != 0100000 || (mode & 0022) != 0 || owner != uid && owner != 0) {
                return null;
            }
            length = (Long) a.get("size");
            lastUse = ((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis();
        } catch (IOException | RuntimeException missing) {
            return null;
        }
        if (length <= 0 || length > limit || length > Integer.MAX_VALUE - 16) {
            return null;
        }
        try (FileInputStream in = new FileInputStream(file)) {
            byte[] b = new byte[(int) length];
            int at = 0;
            while (at < b.length) {
                int n = in.read(b, at, b.length - at);
                if (n < 0) {
                    return null; // cut while read: a miss
                }
                at += n;
            }
            if (in.read() != -1) {
                return null;
            }
            long now = System.currentTimeMillis();
            if (writable && now - lastUse > TOUCH_MILLIS) {
                file.setLastModified(now); // in use: pruning keeps it (fails harmlessly on another user's entry)
            }
            return b;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return null;
        }
    }

    /**
     * Once per JVM: past {@link #MAX_ENTRIES} entries, the ones unused for {@link #UNUSED_MILLIS} go, least recently
     * used first, down to three quarters of the limit (an application's own entries, used at its every start, stay:
     * evicting by write time made each start after one changed class rewrite hundreds of others); so do temporary
     * files older than {@link #STALE_TMP_MILLIS}, left by a JVM killed while writing.
     */
    private void prune() {
        if (pruned) {
            return;
        }
        pruned = true;
        String[] all = dir.list();
        if (all == null) {
            return;
        }
        List<String> names = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (String n : all) {
            if (n.endsWith(".zcr")) {
                names.add(n);
            } else if (n.endsWith(".tmp") && now - new File(dir, n).lastModified() > STALE_TMP_MILLIS) {
                new File(dir, n).delete();
            }
        }
        if (names.size() <= MAX_ENTRIES) {
            return;
        }
        long[] times = new long[names.size()];
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < times.length; i++) {
            order[i] = i;
            times[i] = new File(dir, names.get(i)).lastModified(); // 0 when gone: another JVM pruned it
        }
        Arrays.sort(order, new ByTime(times));
        int left = names.size();
        for (int i = 0; i < order.length && left > MAX_ENTRIES * 3 / 4 && now - times[order[i]] > UNUSED_MILLIS;
             i++) {
            new File(dir, names.get(order[i])).delete(); // may fail: another JVM pruning at the same time
            left--;
        }
    }

    /** Oldest first (a class, not a lambda: no lambda bootstrap on the start-up path, StartupPathTest). */
    private record ByTime(long[] times) implements java.util.Comparator<Integer> {
        @Override
        public int compare(Integer a, Integer b) {
            return Long.compare(times[a], times[b]);
        }
    }

    /**
     * CRC-32 of the key, the name and the class file, and the class file's length: the key is in it so that JVMs
     * of two JDKs or modes sharing the directory keep an entry each rather than replace each other's.
     */
    static String fileName(String key, String name, byte[] original) {
        CRC32 crc = new CRC32();
        byte[] n = (key + "\n" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        crc.update(n, 0, n.length);
        crc.update(original, 0, original.length);
        return Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(original.length) + ".zcr";
    }
}
