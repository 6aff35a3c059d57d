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

    @Test
    void aHitRegistersTheSitesAgainAndRenumbersTheirCodesInAClassThatStillVerifies() throws Exception {
        for (Class<?> c : List.of(zc.corpus.Loops.class, zc.corpus.Helpers.class)) {
            String name = c.getName().replace('.', '/');
            byte[] original = bytes(c);
            LoopTransformer.Rewrite r = loops.rewrite(c.getClassLoader(), name, original);
            assertNotNull(r.bytes(), name);
            assertTrue(r.cacheable(), name);
            assertTrue(r.sites().stream().filter(s -> s.code() != -1).count() > 2, name + ": " + r.sites());
            RewriteCache cache = new RewriteCache(dir, "key", false);
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
            assertEquals(original.length, Files.size(only(dir)) > 0 ? original.length : -1);
            // the JVM's own verifier takes the renumbered class
            Class<?> defined = new OneClassLoader(c.getName(), hit[0]).loadClass(c.getName());
            assertEquals(c.getName(), Class.forName(c.getName(), true, defined.getClassLoader()).getName());
            Files.delete(only(dir));
        }
    }

    @Test
    void aDamagedOrTruncatedEntryIsAMissAndRegistersNothing() throws Exception {
        byte[] original = bytes(zc.corpus.Loops.class);
        String name = "zc/corpus/Loops";
        RewriteCache cache = new RewriteCache(dir, "key", false);
        cache.store(name, original, loops.rewrite(getClass().getClassLoader(), name, original));
        Path entry = only(dir);
        byte[] good = Files.readAllBytes(entry);
        for (int at : new int[] {0, 20, good.length / 2, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Files.write(entry, bad);
            int before = Stats.ids().size();
            assertNull(cache.lookup(getClass().getClassLoader(), name, original), "byte " + at);
            assertEquals(before, Stats.ids().size());
        }
        Files.write(entry, java.util.Arrays.copyOf(good, good.length - 7));
        assertNull(cache.lookup(getClass().getClassLoader(), name, original));
        Files.write(entry, good);
        assertNotNull(cache.lookup(getClass().getClassLoader(), name, original));
    }

    @Test
    void anotherClassFileAnotherKeyOrAnotherAnswerIsAMiss() throws Exception {
        byte[] original = bytes(zc.corpus.Loops.class);
        String name = "zc/corpus/Loops";
        RewriteCache cache = new RewriteCache(dir, "key", false);
        LoopTransformer.Rewrite r = loops.rewrite(getClass().getClassLoader(), name, original);
        cache.store(name, original, r);
        assertNull(new RewriteCache(dir, "another build", false).lookup(getClass().getClassLoader(), name, original));
        // even where its entry is found under the other key's file name
        Files.copy(only(dir), dir.resolve(RewriteCache.fileName("another build", name, original)));
        assertNull(new RewriteCache(dir, "another build", false).lookup(getClass().getClassLoader(), name, original));
        Files.delete(dir.resolve(RewriteCache.fileName("another build", name, original)));
        // a class file of the same name and length whose entry file name collides: compared byte for byte
        byte[] other = original.clone();
        other[other.length - 3] ^= 1;
        Files.copy(only(dir), dir.resolve(RewriteCache.fileName("key", name, other)));
        assertNull(cache.lookup(getClass().getClassLoader(), name, other));
        // the rewrite relied on a type being an OutputStream, which it no longer is
        Files.delete(dir.resolve(RewriteCache.fileName("key", name, other)));
        cache.store(name, original, new LoopTransformer.Rewrite(r.bytes(), r.sites(),
                List.of(new StreamTypePool.Answer("zc/corpus/Loops", true, true)), true));
        assertNull(cache.lookup(getClass().getClassLoader(), name, original));
    }

    @Test
    void twoJdksOrModesSharingTheDirectoryKeepAnEntryEach() throws Exception {
        byte[] original = bytes(zc.corpus.Loops.class);
        String name = "zc/corpus/Loops";
        LoopTransformer.Rewrite r = loops.rewrite(getClass().getClassLoader(), name, original);
        RewriteCache jdk17 = new RewriteCache(dir, "zc-agent 1 2 mode=REWRITE java=17", false);
        RewriteCache jdk25 = new RewriteCache(dir, "zc-agent 1 2 mode=REWRITE java=25", false);
        jdk17.store(name, original, r);
        jdk25.store(name, original, r);
        assertNotNull(jdk17.lookup(getClass().getClassLoader(), name, original));
        assertNotNull(jdk25.lookup(getClass().getClassLoader(), name, original));
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
        new RewriteCache(dir, "key", false).store(name, original, new LoopTransformer.Rewrite(original.clone(),
                List.of(new Registrations.Site(site, WithConstant.BIG >> 5, WithConstant.BIG, 5)), List.of(), true));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList(), "renumbering would have changed the class's own constant");
        }
    }

    @Test
    void aFailedRewriteIsNotKept() throws Exception {
        byte[] original = bytes(zc.corpus.Loops.class);
        LoopTransformer.Rewrite r = loops.rewrite(getClass().getClassLoader(), "zc/corpus/Loops", original);
        new RewriteCache(dir, "key", false).store("zc/corpus/Loops", original,
                new LoopTransformer.Rewrite(r.bytes(), r.sites(), r.answers(), false));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void theDirectoryMustBeTheUsersAlone() throws Exception {
        Path made = dir.resolve("a/b/rewrite");
        assertNull(CacheDirectory.unusable(made));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made)));
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals("writable by others (rwxrwxr-x)", CacheDirectory.unusable(made));
        Files.writeString(dir.resolve("file"), "x");
        assertEquals("not a directory", CacheDirectory.unusable(dir.resolve("file")));
        assertNotEquals(null, CacheDirectory.unusable(dir.resolve("file/below")));
    }

    @Test
    void offAndAnUnusableDirectoryOpenNoCache() {
        assertNull(CacheDirectory.open(AgentOptions.parse("cache=off")));
        assertNull(CacheDirectory.open(AgentOptions.parse("cache=/proc/version,log=quiet")));
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
