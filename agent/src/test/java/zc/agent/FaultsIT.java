package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

/** Copy loops under faults, with the real agent in forked JVMs, mode=off against mode=rewrite, JDK 17 and 25. */
class FaultsIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "target/zc-agent.jar");
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");

    @TempDir
    static Path work;

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void peerResetGivesTheSameExceptionType(Jdk jdk) throws Exception {
        String off = run(jdk, "mode=off", "peerCloses");
        String rewrite = run(jdk, "mode=rewrite", "peerCloses");
        assertEquals("threw=java.net.SocketException|received<=true", off);
        assertEquals(off, rewrite);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void concurrentCloseNeverWritesIntoAFileThatReusesTheDescriptor(Jdk jdk) throws Exception {
        String off = run(jdk, "mode=off", "concurrentClose");
        String rewrite = run(jdk, "mode=rewrite", "concurrentClose");
        assertEquals("threw=java.net.SocketException|landedInOtherFiles=0", off);
        assertEquals(off, rewrite);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void concurrentCloseOfASocketMadeNonBlockingIsJustAsSafe(Jdk jdk) throws Exception {
        String off = run(jdk, "mode=off", "concurrentCloseNonBlocking");
        assertEquals("threw=java.net.SocketException|landedInOtherFiles=0", off);
        assertEquals(off, run(jdk, "mode=rewrite", "concurrentCloseNonBlocking"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aReceiveClosedConcurrentlyNeverReadsAFileThatReusesTheDescriptor(Jdk jdk) throws Exception {
        for (String fault : List.of("receiveConcurrentClose", "receiveConcurrentCloseTimed")) {
            String off = run(jdk, "mode=off", fault);
            assertEquals("threw=java.net.SocketException: Socket closed|victimBytesInTarget=false", off, fault);
            assertEquals(off, run(jdk, "mode=rewrite", fault), fault);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aSourceTruncatedAndAppendedMidCopyEndsCleanly(Jdk jdk) throws Exception {
        assertEquals("ended|totalEqualsReceived=true|atMostFile=true", run(jdk, "mode=rewrite", "truncated"));
        assertEquals("ended|totalEqualsReceived=true|atMostFile=true", run(jdk, "mode=off", "truncated"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aSourceTruncatedUnderItsMappingEndsCleanly(Jdk jdk) throws Exception {
        assertEquals("ended|totalEqualsReceived=true|atMostFile=true",
                run(jdk, "mode=rewrite,strategy=mmap", "truncated"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anInterruptedThreadCopiesEverythingAndKeepsItsFlag(Jdk jdk) throws Exception {
        String off = run(jdk, "mode=off", "interrupted");
        assertEquals("completed|value=67108864|interruptFlag=true|received=67108874", off);
        assertEquals(off, run(jdk, "mode=rewrite", "interrupted"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aSocketMadeNonBlockingBySoTimeoutStillGetsEveryByte(Jdk jdk) throws Exception {
        String off = run(jdk, "mode=off", "soTimeout");
        assertEquals("completed|value=67108864|received=67108864", off);
        assertEquals(off, run(jdk, "mode=rewrite", "soTimeout"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aFullDiskGivesTheSameExceptionType(Jdk jdk) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path small = Files.createDirectories(work.resolve("small-" + jdk.major()));
        Forked.Result mount = Forked.run(Duration.ofSeconds(30),
                List.of("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString()));
        assumeTrue(mount.exitCode() == 0, "mount failed: " + mount.stderr());
        try {
            String off = run(jdk, "mode=off", "diskFull", small.toString());
            assertEquals("threw=java.io.IOException", off);
            assertEquals(off, run(jdk, "mode=rewrite", "diskFull", small.toString()));
        } finally {
            Forked.run(Duration.ofSeconds(30), List.of("umount", small.toString()));
        }
    }

    private static String run(Jdk jdk, String options, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(),
                "-javaagent:" + AGENT + "=" + options + ",minBytes=0,log=info", "-cp", CLASSES, "zc.corpus.FaultMain",
                work.toString()));
        cmd.addAll(List.of(args));
        Forked.Result r = Forked.run(Duration.ofMinutes(2), cmd);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        String line = r.stdout().lines().filter(l -> l.startsWith("RESULT|")).findFirst()
                .orElseThrow(() -> new AssertionError(r.stdout() + r.stderr()));
        List<String> agentLines = r.stderr().lines().filter(l -> l.startsWith("zc-agent:")).toList();
        boolean rewrite = options.startsWith("mode=rewrite");
        assertEquals(rewrite ? 1 : 0, agentLines.size(), "the summary line alone, no agent error: " + r.stderr());
        if (rewrite) {
            // "zc-agent: 1 copy loop(s) seen, 1 rewritten; 1 call(s): N bytes by sendfile, ... (0 fallback(s))"
            String summary = agentLines.get(0);
            long calls = Long.parseLong(summary.replaceAll(".*rewritten; (\\d+) call.*", "$1"));
            long fallbacks = Long.parseLong(summary.replaceAll(".*\\((\\d+) fallback.*", "$1"));
            assertTrue(calls >= 1 && fallbacks == 0, "the calls took the rewritten path: " + summary);
            String path = options.contains("strategy=mmap") ? "mmap"
                    : args[0].startsWith("receive") ? "direct buffer" : "sendfile";
            long bytes = Long.parseLong(summary.replaceAll(".* (\\d+) (bytes )?by " + path + ".*", "$1"));
            // a close can end the only sendfile call before it reports any byte, or come before the first read
            assertTrue(bytes > 0 || args[0].matches("(receiveC|c)oncurrentClose.*"), "bytes went by " + path + ": "
                    + summary);
        }
        return line.substring(line.indexOf('|', 7) + 1);
    }
}
