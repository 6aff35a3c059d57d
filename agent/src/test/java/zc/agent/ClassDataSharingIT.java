package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * An application started with its own class-data archive keeps it under zc: the classes zc leaves alone still come
 * from the archive ("source: shared objects file" in -Xlog:class+load), the one zc rewrites comes from its new bytes,
 * and the JVM never falls back to sharing boot-loader classes only (which appending zc to the boot class path did).
 * AppCDS ({@code -XX:ArchiveClassesAtExit}) on every JDK; on JDK 25 also the AOT cache ({@code -XX:AOTCacheOutput}).
 */
class ClassDataSharingIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "target/zc-agent.jar");
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");
    private static final String APP = "zc.corpus.ArchivedApp";
    /** The class with the copy loop. */
    private static final String COPIER = "zc.corpus.AgentApp";
    private static final String SHARED = "source: shared objects file";

    @TempDir
    Path work;

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anAppCdsArchiveStillServesTheClassesZcLeavesAlone(Jdk jdk) throws Exception {
        Path jar = appJar();
        Path archive = work.resolve("app.jsa");
        Forked.Result dump = java(jdk, List.of("-XX:ArchiveClassesAtExit=" + archive), jar);
        assertEquals(0, dump.exitCode(), dump.stderr());
        assertTrue(Files.size(archive) > 0);

        Forked.Result plain = java(jdk, List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load"), jar);
        assertTrue(loaded(plain, COPIER).contains(SHARED), "without zc: " + plain.stdout());

        Forked.Result zc = java(jdk, List.of("-javaagent:" + AGENT + "=log=info", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load"), jar);
        assertEquals(0, zc.exitCode(), zc.stderr());
        assertTrue(zc.stdout().contains("archived app copied=1048576 same=true"), zc.stdout());
        assertTrue(zc.stderr().contains("1 copy loop(s) seen, 1 rewritten"), zc.stderr());
        assertFalse(zc.stdout().contains("Sharing is only supported") || zc.stderr().contains("Sharing is only"),
                zc.stderr());
        assertTrue(loaded(zc, APP).contains(SHARED), loaded(zc, APP));
        assertTrue(loaded(zc, APP + "$Greeting").contains(SHARED), loaded(zc, APP + "$Greeting"));
        assertFalse(loaded(zc, COPIER).contains(SHARED), "rewritten, so from its new bytes: " + loaded(zc, COPIER));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anAotCacheTrainedWithJavaInstrumentIsUsedUnderZc(Jdk jdk) throws Exception {
        if (jdk.major() < 25) {
            return; // -XX:AOTCacheOutput is JDK 25's (JEP 514)
        }
        Path jar = appJar();
        // A cache trained without java.instrument is refused whole under any -javaagent ("Mismatched values for
        // property jdk.module.addmods"); the application trains with the module a Java agent brings.
        Path cache = aotCache(jdk, jar, "app.aot", "--add-modules", "java.instrument");
        Forked.Result zc = java(jdk, List.of("-javaagent:" + AGENT + "=log=info", "-XX:AOTCache=" + cache,
                "-Xlog:class+load"), jar);
        assertEquals(0, zc.exitCode(), zc.stderr());
        assertTrue(zc.stdout().contains("archived app copied=1048576 same=true"), zc.stdout());
        // the cache loads the copying class before premain; zc rewrites it there, before main's first copy
        assertTrue(zc.stderr().contains("1 call(s): 1048576 bytes by sendfile"), zc.stderr());
        assertTrue(loaded(zc, APP).contains(SHARED), loaded(zc, APP));
        assertTrue(loaded(zc, APP + "$Greeting").contains(SHARED), loaded(zc, APP + "$Greeting"));
    }

    /**
     * {@code -javaagent:J} is the JVM's {@code -agentlib:instrument=J} plus {@code --add-modules java.instrument}, and
     * that property turns off the CDS archive's full module graph; the long form leaves it on and runs the same zc.
     * Pins the JDK behaviour docs/agent.md ("Loading zc") rests on.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void theAgentlibFormKeepsTheArchivedModuleGraphAndRewritesTheSame(Jdk jdk) throws Exception {
        Path jar = appJar();
        Forked.Result shorthand = java(jdk, List.of("-javaagent:" + AGENT + "=log=info", "-Xlog:cds"), jar);
        assertEquals(0, shorthand.exitCode(), shorthand.stderr());
        assertTrue(shorthand.stdout().contains("full module graph: disabled"), shorthand.stdout());
        Forked.Result agentlib = java(jdk, List.of("-agentlib:instrument=" + AGENT + "=log=info", "-Xlog:cds"), jar);
        assertEquals(0, agentlib.exitCode(), agentlib.stderr());
        assertTrue(agentlib.stdout().contains("full module graph: enabled"), agentlib.stdout());
        for (Forked.Result r : List.of(shorthand, agentlib)) {
            assertTrue(r.stdout().contains("archived app copied=1048576 same=true"), r.stdout());
            assertTrue(r.stderr().contains("1 copy loop(s) seen, 1 rewritten; 1 call(s): 1048576 bytes by sendfile"),
                    r.stderr());
        }
    }

    /**
     * Where java.instrument is not in the boot layer (here {@code --limit-modules java.base}; also a named main module
     * that does not read it) the long form stops the JVM before main, in the JDK's own code, before zc runs; the
     * shorthand adds the module and runs. docs/agent.md gives the shorthand as the form for those applications.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void withoutJavaInstrumentInTheBootLayerOnlyTheShorthandStarts(Jdk jdk) throws Exception {
        Path jar = appJar();
        Forked.Result agentlib = java(jdk, List.of("-agentlib:instrument=" + AGENT, "--limit-modules", "java.base"),
                jar);
        assertTrue(agentlib.exitCode() != 0, agentlib.stdout());
        assertTrue(agentlib.stderr().contains("InstrumentationImpl"), agentlib.stderr());
        assertFalse(agentlib.stdout().contains("archived app copied"), agentlib.stdout());
        Forked.Result shorthand = java(jdk, List.of("-javaagent:" + AGENT + "=log=info", "--limit-modules",
                "java.base"), jar);
        assertEquals(0, shorthand.exitCode(), shorthand.stderr());
        assertTrue(shorthand.stdout().contains("archived app copied=1048576 same=true"), shorthand.stdout());
        // without jdk.jfr and java.management zc runs without its JFR event and MBean, and says nothing of it
        assertTrue(shorthand.stderr().contains("1 copy loop(s) seen, 1 rewritten"), shorthand.stderr());
        assertFalse(shorthand.stderr().contains("NoClassDefFoundError"), shorthand.stderr());
        assertEquals(1, shorthand.stderr().lines().filter(l -> l.startsWith("zc-agent:")).count(), shorthand.stderr());
    }

    /**
     * On JDK 25 an AOT cache trained as the application is (no java.instrument) is used under zc loaded by
     * {@code -agentlib:instrument=}, and refused whole under {@code -javaagent} (its jdk.module.addmods differs).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void anAotCacheTrainedWithoutJavaInstrumentIsUsedUnderTheAgentlibForm(Jdk jdk) throws Exception {
        if (jdk.major() < 25) {
            return; // -XX:AOTCacheOutput is JDK 25's (JEP 514)
        }
        Path jar = appJar();
        Path cache = aotCache(jdk, jar, "plain.aot");
        Forked.Result zc = java(jdk, List.of("-agentlib:instrument=" + AGENT + "=log=info", "-XX:AOTCache=" + cache,
                "-XX:AOTMode=on", "-Xlog:class+load"), jar);
        assertEquals(0, zc.exitCode(), zc.stdout() + zc.stderr());
        assertTrue(zc.stdout().contains("archived app copied=1048576 same=true"), zc.stdout());
        assertTrue(zc.stderr().contains("1 call(s): 1048576 bytes by sendfile"), zc.stderr());
        assertTrue(loaded(zc, APP).contains(SHARED), loaded(zc, APP));
        Forked.Result shorthand = java(jdk, List.of("-javaagent:" + AGENT, "-XX:AOTCache=" + cache,
                "-XX:AOTMode=on"), jar);
        assertTrue(shorthand.exitCode() != 0, "AOTMode=on makes the refusal an error: " + shorthand.stdout());
        assertTrue((shorthand.stdout() + shorthand.stderr()).contains("jdk.module.addmods"), shorthand.stdout());
    }

    /** Trains a JDK 25 AOT cache by one run of the app with {@code flags}; its path. */
    private Path aotCache(Jdk jdk, Path jar, String name, String... flags) throws Exception {
        Path cache = work.resolve(name);
        List<String> all = new ArrayList<>(List.of("-XX:AOTCacheOutput=" + cache));
        all.addAll(List.of(flags));
        Forked.Result train = java(jdk, all, jar);
        assertEquals(0, train.exitCode(), train.stderr());
        return cache;
    }

    private Path appJar() throws Exception {
        Path jar = work.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String c : List.of("ArchivedApp", "ArchivedApp$Greeting", "AgentApp", "AgentApp$SlowStream")) {
                out.putNextEntry(new JarEntry("zc/corpus/" + c + ".class"));
                out.write(Files.readAllBytes(Path.of(CLASSES, "zc", "corpus", c + ".class")));
                out.closeEntry();
            }
        }
        return jar;
    }

    private Forked.Result java(Jdk jdk, List<String> flags, Path jar) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", jar.toString(), APP, work.toString()));
        return Forked.run(Duration.ofMinutes(2), cmd);
    }

    /** The class+load line of one class, or "" if it was not loaded. */
    private static String loaded(Forked.Result r, String className) {
        return r.stdout().lines().filter(l -> l.contains("[class,load] " + className + " "))
                .findFirst().orElse("");
    }
}
