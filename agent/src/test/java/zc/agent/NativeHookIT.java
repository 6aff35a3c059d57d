package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * The class-load hook in C (NativeHook) on the real agent jar: on by default, the application's copy rewritten
 * through it, nothing printed by the JVM (JEP 472's warnings on JDK 24+ included) and nothing left in the temporary
 * directory; where it cannot load, the Java transformer does the same work and log=debug says why.
 */
class NativeHookIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "target/zc-agent.jar");
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");
    private static final String REWRITTEN = "1 copy loop(s) seen, 1 rewritten; 1 call(s): 8388608 bytes by sendfile";

    @TempDir
    Path work;

    static Stream<Jdk> jdks() {
        return Jdk.withJdk21().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void isOnByDefaultRewritesAndLeavesNothingBehind(Jdk jdk) throws Exception {
        Path tmp = Files.createDirectory(work.resolve("tmp"));
        for (String form : List.of("-javaagent:", "-agentlib:instrument=")) {
            Forked.Result r = run(jdk, List.of(form + AGENT + "=log=debug,cache=off", "-Djava.io.tmpdir=" + tmp));
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("zc-agent: class-load hook: native\n"), r.stderr());
            assertTrue(r.stderr().contains(REWRITTEN), r.stderr());
            assertEquals(List.of(), r.stderrLines().stream().filter(l -> !l.startsWith("zc-agent: ")).toList(),
                    "only zc's own lines");
            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.toList(), "the library's file is deleted once loaded");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void whereItCannotLoadTheJavaTransformerDoesTheSameWork(Jdk jdk) throws Exception {
        // a directory where anyone may rename entries: the library could be swapped between its write and its load
        Path shared = Files.createDirectory(work.resolve("shared"));
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        List<List<String>> cases = new ArrayList<>(List.of(
                List.of("hook=java", "", "hook=java"),
                List.of("", "-Djava.io.tmpdir=" + work.resolve("no-such-dir"), "the temporary directory "),
                List.of("", "-Djava.io.tmpdir=" + shared, "the temporary directory " + shared
                        + " cannot be trusted: writable by others (777) and not sticky")));
        if (jdk.major() >= 24) {
            cases.add(List.of("", "--illegal-native-access=deny", "--illegal-native-access=deny"));
        }
        for (List<String> c : cases) {
            List<String> flags = new ArrayList<>(List.of("-javaagent:" + AGENT + "=log=debug,cache=off"
                    + (c.get(0).isEmpty() ? "" : "," + c.get(0))));
            if (!c.get(1).isEmpty()) {
                flags.add(c.get(1));
            }
            Forked.Result r = run(jdk, flags);
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("zc-agent: class-load hook: Java transformer (" + c.get(2)), r.stderr());
            assertTrue(r.stderr().contains(REWRITTEN), r.stderr());
            // JDK 21+ warns of the missing directory itself
            assertEquals(List.of(), r.stderrLines().stream().filter(l -> !l.startsWith("zc-agent: ")
                    && !l.equals("WARNING: java.io.tmpdir directory does not exist")).toList(), "only zc's own lines");
        }
    }

    /**
     * Another agent (a debugger's hot swap, JRebel) that redefines a rewritten class from its original bytes, or
     * retransforms it: the hook sees both, as it sees a load, and the second copy goes by sendfile too.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void aRedefinitionOrRetransformationByAnotherAgentKeepsTheRewrite(Jdk jdk) throws Exception {
        Path other = work.resolve("other-agent.jar");
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", "zc.corpus.RedefiningAgent");
        m.getMainAttributes().putValue("Can-Redefine-Classes", "true");
        m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(other), m)) {
            jar.putNextEntry(new java.util.jar.JarEntry("zc/corpus/RedefiningAgent.class"));
            jar.write(Files.readAllBytes(Path.of(CLASSES, "zc/corpus/RedefiningAgent.class")));
        }
        for (String how : List.of("redefine", "retransform")) {
            Forked.Result r = Forked.run(Duration.ofMinutes(2), List.of(jdk.java().toString(), "-javaagent:" + other,
                    "-javaagent:" + AGENT + "=log=debug,cache=off", "-cp", CLASSES, "zc.corpus.RedefinedCopyApp",
                    work.toString(), how));
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stdout().contains(how + " copied=1048576,1048576"), r.stdout());
            assertTrue(r.stderr().contains("zc-agent: class-load hook: native\n"), r.stderr());
            assertTrue(r.stderr().contains("2 call(s): 2097152 bytes by sendfile"), how + ": " + r.stderr());
        }
    }

    /**
     * zc opens and exports JDK internals to its own class loaders alone: the class path gets none of them (a library
     * probing for jdk.internal.misc.Unsafe must find it as without zc), whichever hook is in use.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void theClassPathReachesNoJdkInternalsZcUses(Jdk jdk) throws Exception {
        for (String hook : List.of("native", "java")) {
            Forked.Result r = Forked.run(Duration.ofMinutes(2), List.of(jdk.java().toString(),
                    "-javaagent:" + AGENT + "=log=debug,cache=off,hook=" + hook, "-cp", CLASSES,
                    "zc.corpus.ExportsProbe"));
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("zc-agent: installed"), r.stderr());
            assertEquals("class path reaches:", r.stdout().strip(), hook);
        }
    }

    private Forked.Result run(Jdk jdk, List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", CLASSES, "zc.corpus.AgentApp", work.toString()));
        return Forked.run(Duration.ofMinutes(2), cmd);
    }
}
