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
        Path cache = work.resolve("app.aot");
        // A cache trained without java.instrument is refused whole under any -javaagent ("Mismatched values for
        // property jdk.module.addmods"); the application trains with the module a Java agent brings.
        Forked.Result train = java(jdk, List.of("-XX:AOTCacheOutput=" + cache, "--add-modules", "java.instrument"),
                jar);
        assertEquals(0, train.exitCode(), train.stderr());
        Forked.Result zc = java(jdk, List.of("-javaagent:" + AGENT + "=log=info", "-XX:AOTCache=" + cache,
                "-Xlog:class+load"), jar);
        assertEquals(0, zc.exitCode(), zc.stderr());
        assertTrue(zc.stdout().contains("archived app copied=1048576 same=true"), zc.stdout());
        // the cache loads the copying class before premain; zc rewrites it there, before main's first copy
        assertTrue(zc.stderr().contains("1 call(s): 1048576 bytes by sendfile"), zc.stderr());
        assertTrue(loaded(zc, APP).contains(SHARED), loaded(zc, APP));
        assertTrue(loaded(zc, APP + "$Greeting").contains(SHARED), loaded(zc, APP + "$Greeting"));
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
