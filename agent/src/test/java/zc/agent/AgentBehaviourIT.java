package zc.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/** The agent as an operator meets it: options, bad options, observe mode, the exit summary, JMX. */
class AgentBehaviourIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "target/zc-agent.jar");
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");
    private static final String CDS_WARNING = "Sharing is only supported for boot loader classes";

    @TempDir
    Path work;

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aBadOptionIsOneLineAndTheApplicationRunsUnchanged(Jdk jdk) throws Exception {
        for (String bad : List.of("mode=fast", "speed=max", "minBytes=lots", "strategy", "out=/proc/nope")) {
            Forked.Result r = app(jdk, bad);
            assertEquals(0, r.exitCode(), r.stderr());
            List<String> lines = agentLines(r);
            assertEquals(1, lines.size(), r.stderr());
            assertTrue(lines.get(0).endsWith("zc is disabled, the application runs unchanged"), lines.get(0));
            assertTrue(r.stdout().contains("copied=8388608"), r.stdout());
            assertTrue(syscw(r) >= 1024, "not rewritten: " + r.stdout());
        }
        assertTrue(agentLines(app(jdk, "mode=fast")).get(0).contains("mode=fast: 'fast' is not one of off|observe|rewrite"));
        assertTrue(agentLines(app(jdk, "speed=max")).get(0).contains("unknown option 'speed'"));
        // an unwritable statistics directory is said at start-up, not only when the statistics are lost at exit
        assertEquals("zc-agent: out=/proc/nope: the statistics directory cannot be created (No such file or "
                + "directory); zc is disabled, the application runs unchanged", agentLines(app(jdk, "out=/proc/nope"))
                .get(0));
        assertEquals("zc-agent: out=/proc/self/stat: not a directory; zc is disabled, the application runs unchanged",
                agentLines(app(jdk, "out=/proc/self/stat")).get(0));
    }

    /**
     * Under a SecurityManager the agent's code may not even read its own system properties: zc stays out, in one
     * line, and the application runs (a Throwable out of premain would stop the JVM before main). JDK 17 only: JDK
     * 24+ refuses to start with one at all.
     */
    @Test
    void underASecurityManagerZcStaysOutAndTheApplicationRuns() throws Exception {
        Jdk jdk17 = Jdk.installed().stream().filter(j -> j.major() == 17).findFirst().orElseThrow();
        Forked.Result r = app(jdk17, List.of("-Djava.security.manager", "-Djava.security.policy==" + policy()),
                "log=info");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("copied=8388608"), r.stdout());
        assertEquals(List.of("zc-agent: a SecurityManager is installed; zc does not run under one, the application "
                + "runs unchanged"), agentLines(r).stream().filter(l -> l.startsWith("zc-agent")).toList(), r.stderr());
    }

    /**
     * With no direct memory at all (-XX:MaxDirectMemorySize=0) the application's loop works, and so must the
     * rewrite: the same output, byte for byte, and the same final contents of the caller's buffer, which zc puts
     * back after the send (through a mapping: reading it back through the FileChannel took a direct buffer and threw
     * OutOfMemoryError into the application, found by a new user).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void withoutDirectMemoryTheRewriteBehavesAsTheLoop(Jdk jdk) throws Exception {
        List<String> flags = List.of("-XX:MaxDirectMemorySize=0");
        Forked.Result off = run(jdk, flags, "mode=off", "zc.corpus.DirectMemoryApp");
        Forked.Result on = run(jdk, flags, "log=info", "zc.corpus.DirectMemoryApp");
        assertEquals(0, off.exitCode(), off.stderr());
        assertEquals(0, on.exitCode(), on.stderr());
        assertTrue(off.stdout().contains("copied=1060921 equal=true"), off.stdout());
        assertEquals(off.stdout().strip(), on.stdout().strip());
        List<String> lines = agentLines(on);
        assertEquals(1, lines.size(), on.stderr()); // the summary, no error
        assertTrue(lines.get(0).endsWith("; 1 call(s): 1060921 bytes by sendfile, 0 by mmap, 0 by direct buffer, 0 by "
                + "the original loop (0 fallback(s))"), lines.get(0));
    }

    /**
     * ASM is loaded for the first class that holds a copy, never in premain: an application with none, which opens
     * no file stream either, loads no class of zc's bytecode library or transformer (on JDK 25 the JDK callee hook
     * once loaded ChannelInputStream, and with it ASM, in premain: ~13 ms of every start).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void anApplicationWithoutCopiesLoadsNoBytecodeLibrary(Jdk jdk) throws Exception {
        Forked.Result r = run(jdk, List.of("-Xlog:class+load=info"), "log=info", "zc.corpus.NoCopyApp");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("no copy here"), r.stdout());
        assertTrue(r.stdout().contains("zc.agent.boot.FirstScanTransformer"), "zc installed: " + r.stderr());
        List<String> loaded = r.stdout().lines().filter(l -> l.contains("zc.agent.shaded.")
                || l.contains("zc.agent.match.LoopTransformer") || l.contains("sun.nio.ch.ChannelInputStream ")).toList();
        assertEquals(List.of(), loaded);
    }

    /**
     * The rewrite cache: the first start rewrites and keeps the result, the second serves it, copies the same way
     * (sendfile, the same summary and statistics) and never loads ASM or the transformer; a damaged entry is a miss
     * that rewrites again; cache=off writes nothing.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void aSecondStartServesTheRewriteFromTheCacheWithoutLoadingAsm(Jdk jdk) throws Exception {
        Path cache = work.resolve("rewrite-cache");
        String summary = "zc-agent: 1 copy loop(s) seen, 1 rewritten; 1 call(s): 8388608 bytes by sendfile, "
                + "0 by mmap, 0 by direct buffer, 0 by the original loop (0 fallback(s))";
        List<String> classLoad = List.of("-Xlog:class+load=info");
        Forked.Result first = app(jdk, classLoad, "log=debug,cache=" + cache);
        assertEquals(0, first.exitCode(), first.stderr());
        assertTrue(first.stderr().contains("zc-agent: zc/corpus/AgentApp rewritten\n"), first.stderr());
        assertTrue(first.stdout().contains("zc.agent.match.LoopTransformer "), "the first start rewrites");
        List<Path> entries;
        try (Stream<Path> files = Files.list(cache)) {
            entries = files.toList();
        }
        // AgentApp's, and on JDK 21+ the JDK's ChannelInputStream with its callee hook
        assertEquals(jdk.major() >= 21 ? 2 : 1, entries.size(), entries.toString());

        Forked.Result second = app(jdk, classLoad, "log=debug,cache=" + cache);
        assertEquals(0, second.exitCode(), second.stderr());
        assertTrue(second.stderr().contains("zc-agent: zc/corpus/AgentApp rewritten (rewrite cache)"), second.stderr());
        assertTrue(second.stderr().contains(summary), second.stderr()); // by sendfile, as the first start
        assertEquals(List.of(), second.stdout().lines().filter(l -> l.contains("zc.agent.shaded.")
                || l.contains("zc.agent.match.LoopTransformer ") || l.contains("zc.agent.match.CopyLoopFinder "))
                .toList());

        for (Path p : entries) {
            byte[] entry = Files.readAllBytes(p);
            entry[entry.length / 2] ^= 0x40;
            Files.write(p, entry);
        }
        Forked.Result damaged = app(jdk, "log=debug,cache=" + cache);
        assertEquals(0, damaged.exitCode(), damaged.stderr());
        assertTrue(damaged.stderr().contains("zc-agent: zc/corpus/AgentApp rewritten\n"), damaged.stderr());
        assertTrue(damaged.stderr().contains(summary), damaged.stderr());
        assertTrue(syscw(damaged) < 10, damaged.stdout());

        // the damaged run kept its own rewrite again: a valid entry, which cache=off does not read
        Forked.Result off = app(jdk, "log=debug,cache=off");
        assertEquals(0, off.exitCode(), off.stderr());
        assertTrue(off.stderr().contains("zc-agent: zc/corpus/AgentApp rewritten\n"), off.stderr());
        assertTrue(app(jdk, "log=debug,cache=" + cache).stderr().contains("AgentApp rewritten (rewrite cache)"));
    }

    private Forked.Result run(Jdk jdk, List<String> jvmFlags, String options, String mainClass) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-javaagent:" + AGENT + "=" + options, "-cp", CLASSES, mainClass, work.toString()));
        return Forked.run(Duration.ofMinutes(1), cmd);
    }

    /** What the corpus application itself needs: its files and the loopback socket it copies into. */
    private Path policy() throws Exception {
        Path policy = work.resolve("app.policy");
        Files.writeString(policy, "grant { permission java.io.FilePermission \"<<ALL FILES>>\", \"read,write,delete\";\n"
                + "  permission java.net.SocketPermission \"localhost:0-\", \"listen,accept,connect,resolve\";\n"
                + "  permission java.util.PropertyPermission \"*\", \"read\"; };\n");
        return policy;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void rewriteSendsWithSendfileAndSummarisesAtExit(Jdk jdk) throws Exception {
        Forked.Result r = app(jdk, "log=info");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(syscw(r) < 10, r.stdout());
        assertEquals(List.of("zc-agent: 1 copy loop(s) seen, 1 rewritten; 1 call(s): 8388608 bytes by sendfile, "
                + "0 by mmap, 0 by direct buffer, 0 by the original loop (0 fallback(s))"), agentLines(r));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void observeRunsTheOriginalLoopAndCountsWhatARewriteWouldMove(Jdk jdk) throws Exception {
        Forked.Result r = app(jdk, "mode=observe,log=info,out=" + work);
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(syscw(r) >= 1024, "the loop's own writes: " + r.stdout());
        assertEquals(List.of("zc-agent: 1 copy loop(s) seen, 0 rewritten; 1 call(s): 0 bytes by sendfile, 0 by mmap, "
                + "0 by direct buffer, 8388608 by the original loop (0 fallback(s)); a rewrite would move 8388608 of "
                + "them zero-copy in 1 call(s)"), agentLines(r));
        JsonNode site = stats().get("sites").get(0);
        assertEquals("observed", site.get("status").asText());
        assertEquals("zc.corpus.AgentApp", site.get("class").asText());
        assertEquals(1, site.get("calls").asLong());
        assertEquals(8 << 20, site.get("bytes").get("loop").asLong(), "through the original loop");
        assertEquals(0, site.get("bytes").get("sendfile").asLong());
        assertEquals(8 << 20, site.get("wouldMove").get("bytes").asLong(), site.toString());
        assertEquals("sendfile", site.get("wouldMove").get("path").asText());
        assertEquals(1, site.get("wouldMove").get("calls").asLong());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theStatisticsIncludeACopyThatTheApplicationsShutdownHookFinishes(Jdk jdk) throws Exception {
        Forked.Result r = app(jdk, "out=" + work, "shutdown");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("late copied=8388608"), r.stdout());
        JsonNode doc = stats();
        JsonNode site = doc.get("sites").get(0);
        assertEquals(0, doc.get("running").asInt(), "written again once the late call ended");
        assertEquals(2, site.get("calls").asLong(), site.toString());
        assertEquals(8 << 20, site.get("bytes").get("sendfile").asLong(), site.toString());
        assertEquals(8 << 20, site.get("bytes").get("loop").asLong(), "the late call's bytes: " + site);
        long declined = 0;
        for (JsonNode n : site.get("fallbackBytes")) {
            declined += n.asLong();
        }
        assertEquals(8 << 20, declined, "counted under the reason its sink was declined: " + site);
        try (Stream<Path> files = Files.list(work)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".tmp")).count(), "no temporary file left");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void systemPropertiesConfigureTheAgentAndArgumentsWin(Jdk jdk) throws Exception {
        Forked.Result observed = app(jdk, List.of("-Dzc.mode=observe"), "log=error");
        assertTrue(syscw(observed) >= 1024, "-Dzc.mode=observe: " + observed.stdout());
        Forked.Result rewritten = app(jdk, List.of("-Dzc.mode=observe"), "mode=rewrite");
        assertTrue(syscw(rewritten) < 10, "the agent argument wins: " + rewritten.stdout());
        Forked.Result switchedOff = app(jdk, List.of("-Dzc.sendfile=off", "-Dzc.mmap=off"), "log=error");
        assertTrue(syscw(switchedOff) >= 1024, "both strategies switched off: " + switchedOff.stdout());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void excludedClassesAreLeftAlone(Jdk jdk) throws Exception {
        Forked.Result r = app(jdk, "exclude=zc.corpus.AgentApp,out=" + work);
        assertTrue(syscw(r) >= 1024, r.stdout());
        assertEquals(0, stats().get("sites").size());
        Forked.Result included = app(jdk, "include=zc.corpus.*:other.*");
        assertTrue(syscw(included) < 10, included.stdout());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theMBeanShowsLiveStatistics(Jdk jdk) throws Exception {
        Forked.Result r = app(jdk, "log=error", "jmx");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("jmx BytesSendfile=8388608 SitesRewritten=1 Calls=1"), r.stdout());
        assertTrue(r.stdout().contains("jmx json true"), r.stdout());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theStatsFileFollowsItsSchema(Jdk jdk) throws Exception {
        app(jdk, "out=" + work);
        JsonNode doc = stats();
        assertEquals("zc-agent-stats/2", doc.get("schema").asText());
        assertTrue(doc.get("pid").asLong() > 0);
        assertEquals(String.valueOf(jdk.major()), doc.get("jdk").asText().split("[.+-]")[0]);
        JsonNode site = doc.get("sites").get(0);
        assertEquals("zc.corpus.AgentApp", site.get("class").asText());
        assertEquals("copy(Ljava/io/InputStream;Ljava/io/OutputStream;)J", site.get("method").asText());
        assertTrue(site.get("line").asInt() > 0);
        assertEquals("rewritten", site.get("status").asText());
        assertTrue(site.get("reason").isNull());
        assertEquals(8 << 20, site.get("bytes").get("sendfile").asLong());
        assertEquals(0, site.get("fallbacks").size());
        assertEquals(0, doc.get("errors").size());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void jfrRecordingsListZcsCopiesWithTheirCallSites(Jdk jdk) throws Exception {
        Path recording = work.resolve("zc.jfr");
        Forked.Result r = app(jdk, List.of("-XX:StartFlightRecording=filename=" + recording), "log=error");
        assertEquals(0, r.exitCode(), r.stderr());
        Forked.Result print = Forked.run(Duration.ofMinutes(1), List.of(jdk.home().resolve("bin/jfr").toString(),
                "print", "--events", "zc.Copy", recording.toString()));
        assertEquals(0, print.exitCode(), print.stderr());
        assertTrue(print.stdout().contains("zc.Copy {"), print.stdout());
        assertTrue(print.stdout().contains("className = \"zc.corpus.AgentApp\""), print.stdout());
        assertTrue(print.stdout().contains("path = \"sendfile\""), print.stdout());
        assertTrue(print.stdout().contains("bytes = 8.0 MB"), print.stdout());
    }

    private Forked.Result app(Jdk jdk, String options, String... args) throws Exception {
        return app(jdk, List.of(), options, args);
    }

    private Forked.Result app(Jdk jdk, List<String> jvmFlags, String options, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-javaagent:" + AGENT + "=" + options,
                "-cp", CLASSES, "zc.corpus.AgentApp", work.toString()));
        cmd.addAll(List.of(args));
        return Forked.run(Duration.ofMinutes(1), cmd);
    }

    private JsonNode stats() throws Exception {
        try (Stream<Path> files = Files.list(work)) {
            Path f = files.filter(p -> p.getFileName().toString().startsWith("zc-agent-")).findFirst().orElseThrow();
            return new ObjectMapper().readTree(f.toFile());
        }
    }

    private static List<String> agentLines(Forked.Result r) {
        return r.stderr().lines().filter(l -> !l.contains(CDS_WARNING)).filter(l -> !l.isBlank())
                .filter(l -> !l.contains("Started recording") && !l.contains("jcmd") && !l.contains("JFR"))
                .toList();
    }

    private static long syscw(Forked.Result r) {
        return Long.parseLong(r.stdout().replaceAll("(?s).*syscw=(\\d+).*", "$1"));
    }

    /**
     * The callee hook in the JDK's {@code ChannelInputStream.transferTo} is added when that class loads
     * (JdkHttpServerIT's JDK file server); where it was loaded before zc (an attach; a JDK 24+ AOT cache), by retransformation: a JVM
     * that opened a file stream, then attached zc, then copies 4 MiB with {@code Files.newInputStream(f).transferTo}
     * gets the same bytes, all of them counted by sendfile at the JDK callee site.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void hooksTheJdkCalleeLoadedBeforeAnAttach(Jdk jdk) throws Exception {
        assumeTrue(jdk.major() >= 21, "ChannelInputStream declares transferTo from JDK 20 on");
        byte[] bytes = new byte[4 << 20];
        new Random(7).nextBytes(bytes);
        Path source = Files.write(work.resolve("source.bin"), bytes);
        Path target = work.resolve("target.bin");
        Path stats = work.resolve("stats");
        Forked.Result r = Forked.run(Duration.ofSeconds(120), List.of(jdk.java().toString(),
                "-Djdk.attach.allowAttachSelf=true", "-cp", CLASSES, "zc.corpus.CalleeAfterAttach", source.toString(),
                target.toString(), Path.of(AGENT).toAbsolutePath().toString(), "out=" + stats));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("moved " + bytes.length), r.stdout());
        assertArrayEquals(bytes, Files.readAllBytes(target));
        JsonNode doc = CorpusRuns.stats(stats);
        JsonNode callee = null;
        for (JsonNode s : doc.get("sites")) {
            if (s.get("class").asText().equals("sun.nio.ch.ChannelInputStream")) {
                callee = s;
            }
        }
        assertTrue(callee != null, doc.get("sites").toString());
        assertEquals(bytes.length, callee.get("via").get("sendfile").asLong(), callee.toString());
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
    }
}
