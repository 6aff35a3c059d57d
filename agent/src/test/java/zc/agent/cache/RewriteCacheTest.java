package zc.agent.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.agent.AgentOptions;
import zc.agent.match.ClassFiles;
import zc.agent.match.LoopTransformer;
import zc.agent.match.Registrations;
import zc.agent.match.StreamTypePool;
import zc.agent.stats.CallSite;
import zc.agent.stats.Stats;

class RewriteCacheTest {
    @TempDir
    Path dir;

    private final LoopTransformer loops = new LoopTransformer(AgentOptions.defaults());
    private static final int ME = CacheDirectory.uid();
    /** The class most cases cache: the corpus's loops, as its class file. */
    private static final String NAME = "zc/corpus/Loops";
    private static final byte[] LOOPS = loopsClassFile();
    private static final ClassLoader LOADER = RewriteCacheTest.class.getClassLoader();

    private static byte[] loopsClassFile() {
        try {
            return bytes(zc.corpus.Loops.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A writable cache in the test's directory, as this user. */
    private RewriteCache cache(String key) {
        return new RewriteCache(dir, key, AgentOptions.Log.ERROR, true, ME);
    }

    private LoopTransformer.Rewrite rewrite() {
        return loops.rewrite(LOADER, NAME, LOOPS);
    }

    @Test
    void aHitRegistersTheSitesAgainAndRenumbersTheirCodesInAClassThatStillVerifies() throws Exception {
        for (Class<?> c : List.of(zc.corpus.Loops.class, zc.corpus.Helpers.class)) {
            String name = c.getName().replace('.', '/');
            byte[] original = bytes(c);
            LoopTransformer.Rewrite r = loops.rewrite(c.getClassLoader(), name, original);
            assertNotNull(r.bytes(), name);
            assertTrue(r.cacheable(), name);
            assertTrue(r.sites().stream().filter(s -> s.code() != -1).count() > 2, name + ": " + r.sites());
            RewriteCache cache = cache("key");
            cache.store(name, original, r);

            int before = Stats.ids().size();
            byte[][] hit = cache.lookup(c.getClassLoader(), name, original);
            assertNotNull(hit, name);
            List<Integer> ids = Stats.ids().subList(before, Stats.ids().size());
            assertEquals(r.sites().size(), ids.size(), name);
            List<Integer> renumbered = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                Registrations.Site s = r.sites().get(i);
                assertEquals(s.site(), Stats.site(ids.get(i)));
                if (s.code() != -1) {
                    renumbered.add(ids.get(i) << s.shift() | (s.code() & ((1 << s.shift()) - 1)));
                }
            }
            // constant by constant: the same pool, but every code now carries this JVM's new id
            List<ClassFiles.IntConstant> was = ClassFiles.intConstants(r.bytes());
            List<ClassFiles.IntConstant> now = ClassFiles.intConstants(hit[0]);
            assertEquals(was.size(), now.size());
            List<Integer> changed = new ArrayList<>();
            for (int i = 0; i < was.size(); i++) {
                assertEquals(was.get(i).offset(), now.get(i).offset());
                if (was.get(i).value() != now.get(i).value()) {
                    changed.add(now.get(i).value());
                }
            }
            assertEquals(renumbered.stream().sorted().toList(), changed.stream().sorted().toList(), name);
            assertEquals(r.bytes().length, hit[0].length);
            assertTrue(Files.size(only(dir)) > 0);
            // the JVM's own verifier takes the renumbered class
            Class<?> defined = new OneClassLoader(c.getName(), hit[0]).loadClass(c.getName());
            assertEquals(c.getName(), Class.forName(c.getName(), true, defined.getClassLoader()).getName());
            Files.delete(only(dir));
        }
    }

    @Test
    void aDamagedOrTruncatedEntryIsAMissAndRegistersNothing() throws Exception {
        RewriteCache cache = cache("key");
        cache.store(NAME, LOOPS, rewrite());
        Path entry = only(dir);
        byte[] good = Files.readAllBytes(entry);
        for (int at : new int[] {0, 20, good.length / 2, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Files.write(entry, bad);
            int before = Stats.ids().size();
            assertNull(cache.lookup(LOADER, NAME, LOOPS), "byte " + at);
            assertEquals(before, Stats.ids().size());
        }
        Files.write(entry, java.util.Arrays.copyOf(good, good.length - 7));
        assertNull(cache.lookup(LOADER, NAME, LOOPS));
        Files.write(entry, good);
        assertNotNull(cache.lookup(LOADER, NAME, LOOPS));
    }

    @Test
    void anotherClassFileAnotherKeyOrAnotherAnswerIsAMiss() throws Exception {
        RewriteCache cache = cache("key");
        LoopTransformer.Rewrite r = rewrite();
        cache.store(NAME, LOOPS, r);
        assertNull(cache("another build").lookup(LOADER, NAME, LOOPS));
        // even where its entry is found under the other key's file name
        Files.copy(only(dir), dir.resolve(RewriteCache.fileName("another build", NAME, LOOPS)));
        assertNull(cache("another build").lookup(LOADER, NAME, LOOPS));
        Files.delete(dir.resolve(RewriteCache.fileName("another build", NAME, LOOPS)));
        // a class file of the same name and length whose entry file name collides: compared byte for byte
        byte[] other = LOOPS.clone();
        other[other.length - 3] ^= 1;
        Files.copy(only(dir), dir.resolve(RewriteCache.fileName("key", NAME, other)));
        assertNull(cache.lookup(LOADER, NAME, other));
        // the rewrite relied on a type being an OutputStream, which it no longer is
        Files.delete(dir.resolve(RewriteCache.fileName("key", NAME, other)));
        cache.store(NAME, LOOPS, new LoopTransformer.Rewrite(r.bytes(), r.sites(),
                List.of(new StreamTypePool.Answer("zc/corpus/Loops", true, true)), true));
        assertNull(cache.lookup(LOADER, NAME, LOOPS));
    }

    @Test
    void twoJdksOrModesSharingTheDirectoryKeepAnEntryEach() throws Exception {
        LoopTransformer.Rewrite r = rewrite();
        RewriteCache jdk17 = cache("zc-agent 1 2 mode=REWRITE java=17");
        RewriteCache jdk25 = cache("zc-agent 1 2 mode=REWRITE java=25");
        jdk17.store(NAME, LOOPS, r);
        jdk25.store(NAME, LOOPS, r);
        assertNotNull(jdk17.lookup(LOADER, NAME, LOOPS));
        assertNotNull(jdk25.lookup(LOADER, NAME, LOOPS));
    }

    /** A class whose own constant pool holds 123456 as a static final's ConstantValue. */
    static final class WithConstant {
        static final int BIG = 123456;
    }

    @Test
    void aCodeThatTheClassAlreadyHadAsAConstantIsNotKept() throws Exception {
        byte[] original = bytes(WithConstant.class);
        assertTrue(ClassFiles.intConstants(original).stream().anyMatch(c -> c.value() == WithConstant.BIG));
        String name = WithConstant.class.getName().replace('.', '/');
        CallSite site = new CallSite(WithConstant.class.getName(), "m()V", 1, "loop", CallSite.Status.REWRITTEN, null);
        cache("key").store(name, original, new LoopTransformer.Rewrite(original.clone(),
                List.of(new Registrations.Site(site, WithConstant.BIG >> 5, WithConstant.BIG, 5)), List.of(), true));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "renumbering would have changed the class's own constant");
        }
    }

    @Test
    void aFailedRewriteIsNotKept() throws Exception {
        LoopTransformer.Rewrite r = rewrite();
        cache("key").store(NAME, LOOPS, new LoopTransformer.Rewrite(r.bytes(), r.sites(), r.answers(), false));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theDirectoryAndEveryOneAboveItMustBeChangeableOnlyByThisUserOrRoot() throws Exception {
        int me = CacheDirectory.uid();
        assertEquals(new com.sun.security.auth.module.UnixSystem().getUid(), me);
        Path real = dir.toRealPath();
        Path cache = Files.createDirectories(real.resolve("a/b/rewrite"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        assertNull(CacheDirectory.untrusted(cache, me)); // /tmp above it is writable by all, but sticky
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals("writable by others (775)", CacheDirectory.untrusted(cache, me));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        // a parent anyone can write, not sticky: the cache could be renamed away and replaced
        Files.setPosixFilePermissions(real.resolve("a"), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(real.resolve("a") + ": writable by others (777) and not sticky: the cache could be swapped under"
                + " it", CacheDirectory.untrusted(cache, me));
        Files.setAttribute(real.resolve("a"), "unix:mode", 01777); // sticky, as /tmp
        assertNull(CacheDirectory.untrusted(cache, me));
        Files.setPosixFilePermissions(real.resolve("a"), PosixFilePermissions.fromString("rwx------"));
        // owned by another user: neither this JVM's uid nor root
        Files.setAttribute(cache, "unix:uid", 12345);
        assertEquals("owned by uid 12345, neither this JVM's (4242) nor root", CacheDirectory.untrusted(cache, 4242));
        assertNotEquals(null, CacheDirectory.untrusted(cache, me == 12345 ? 4242 : me));
        Files.setAttribute(cache, "unix:uid", me);
        Files.writeString(real.resolve("file"), "x");
        assertEquals("not a directory", CacheDirectory.untrusted(real.resolve("file"), me));
    }

    @Test
    void aSymbolicLinkIsResolvedOnceAtStartAndEveryReadGoesToTheRealDirectory() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        RewriteCache cache = CacheDirectory.open(AgentOptions.parse("cache=" + link));
        if (cache == null) { // the tests run from classes, not the agent jar: no key; the path is what matters here
            assertEquals(real.toRealPath(), link.toRealPath());
            return;
        }
        assertEquals(real.toRealPath(), cache.dir());
    }

    @Test
    void aReadOnlyCacheServesItsEntriesAndWritesNothing() throws Exception {
        LoopTransformer.Rewrite r = rewrite();
        cache("key").store(NAME, LOOPS, r);
        Path entry = only(dir);
        RewriteCache readOnly = new RewriteCache(dir, "key", AgentOptions.Log.ERROR, false, ME);
        assertNotNull(readOnly.lookup(LOADER, NAME, LOOPS));
        Files.delete(entry);
        readOnly.store(NAME, LOOPS, r);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anEntryAnotherUserCouldHaveWrittenIsAMiss() throws Exception {
        RewriteCache cache = cache("key");
        cache.store(NAME, LOOPS, rewrite());
        Path entry = only(dir);
        assertEquals(0, (Integer) Files.getAttribute(entry, "unix:mode") & 0022, "written for its owner alone");
        assertNotNull(cache.lookup(LOADER, NAME, LOOPS));
        Files.setAttribute(entry, "unix:mode", 0100664); // a umask of 002 and a shared group
        assertNull(cache.lookup(LOADER, NAME, LOOPS));
        Files.setAttribute(entry, "unix:mode", 0100644);
        Files.setAttribute(entry, "unix:uid", 12345);
        assertNull(new RewriteCache(dir, "key", AgentOptions.Log.ERROR, true, 4242)
                .lookup(LOADER, NAME, LOOPS), "owned by another user");
        Files.setAttribute(entry, "unix:uid", ME);
        // a link in place of the entry, to a valid entry elsewhere
        Path elsewhere = Files.move(entry, dir.resolve("elsewhere"));
        Files.createSymbolicLink(entry, elsewhere);
        assertNull(cache.lookup(LOADER, NAME, LOOPS));
    }

    @Test
    void pruningRemovesTheLeastRecentlyUsedEntriesUnusedForADayAndAHitCountsAsAUse() throws Exception {
        LoopTransformer.Rewrite r = rewrite();
        cache("key").store(NAME, LOOPS, r);
        Path used = only(dir);
        long now = System.currentTimeMillis();
        long twoDaysAgo = now - 2 * RewriteCache.UNUSED_MILLIS;
        Files.setLastModifiedTime(used, java.nio.file.attribute.FileTime.fromMillis(twoDaysAgo - 1000));
        // a hit in a later JVM marks it used
        assertNotNull(cache("key").lookup(LOADER, NAME, LOOPS));
        assertTrue(Files.getLastModifiedTime(used).toMillis() >= now);
        Files.delete(used);
        List<Path> old = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Path p = Files.writeString(dir.resolve("old" + i + ".zcr"), "x");
            Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(twoDaysAgo + i));
            old.add(p);
        }
        for (int i = 0; i < RewriteCache.MAX_ENTRIES + 1 - 1000; i++) {
            Files.writeString(dir.resolve("recent" + i + ".zcr"), "x");
        }
        Path staleTmp = Files.writeString(dir.resolve("x.zcr.1.2.tmp"), "half");
        Files.setLastModifiedTime(staleTmp, java.nio.file.attribute.FileTime.fromMillis(twoDaysAgo));
        // this JVM's first write prunes: the oldest unused go, down to three quarters, the recent ones all stay
        cache("key").store(NAME, LOOPS, r);
        int gone = RewriteCache.MAX_ENTRIES + 1 - RewriteCache.MAX_ENTRIES * 3 / 4;
        for (int i = 0; i < 1000; i++) {
            assertEquals(i >= gone, Files.exists(old.get(i)), old.get(i).toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(RewriteCache.MAX_ENTRIES * 3 / 4 + 1, files.count(), "the new entry and three quarters");
        }
        assertTrue(Files.notExists(staleTmp));
    }

    @Test
    void nothingIsCreatedInsideADirectoryTheCacheCouldNotTrust() throws Exception {
        Path open = Files.createDirectories(dir.toRealPath().resolve("open"));
        Files.setAttribute(open, "unix:mode", 040777);
        assertNull(CacheDirectory.open(AgentOptions.parse("cache=" + open.resolve("c/zc") + ",log=quiet")));
        assertTrue(Files.notExists(open.resolve("c")));
    }

    @Test
    void aFifoOrAnOversizedFileInPlaceOfAnEntryIsAMissNotAHang() throws Exception {
        RewriteCache cache = cache("key");
        Path entry = dir.resolve(RewriteCache.fileName("key", NAME, LOOPS));
        assertEquals(0, new ProcessBuilder("mkfifo", entry.toString()).start().waitFor());
        assertNull(cache.lookup(LOADER, NAME, LOOPS)); // opening it would block
        Files.delete(entry);
        try (java.io.RandomAccessFile big = new java.io.RandomAccessFile(entry.toFile(), "rw")) {
            big.setLength(1L << 30); // sparse
        }
        assertNull(cache.lookup(LOADER, NAME, LOOPS));
    }

    @Test
    void offAndAnUnusableDirectoryOpenNoCache() {
        assertNull(CacheDirectory.open(AgentOptions.parse("cache=off")));
        assertNull(CacheDirectory.open(AgentOptions.parse("cache=/proc/version,log=quiet")));
        assertNull(CacheDirectory.open(AgentOptions.parse("cache=" + dir.resolve("x") + ",log=quiet")),
                "the tests' classes are no agent jar: no key, no cache");
    }

    private static Path only(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    static byte[] bytes(Class<?> c) throws Exception {
        String simple = c.getName().substring(c.getName().lastIndexOf('.') + 1);
        try (InputStream in = c.getResourceAsStream(simple + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines one class from the given bytes, everything else from the test's class path. */
    private static final class OneClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClassLoader(String name, byte[] bytes) {
            super(RewriteCacheTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (n.equals(name)) {
                synchronized (getClassLoadingLock(n)) {
                    Class<?> c = findLoadedClass(n);
                    return c != null ? c : defineClass(n, bytes, 0, bytes.length);
                }
            }
            return super.loadClass(n, resolve);
        }
    }
}
