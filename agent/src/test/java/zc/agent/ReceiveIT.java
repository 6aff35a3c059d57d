package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Jdk;

/**
 * The receive side, {@code Files.copy(socket stream, Path, options)} ({@code zc.corpus.Receives}), in forked JVMs
 * with the real agent: mode=off against mode=rewrite (default minBytes, so small receives are in too), the same
 * returned counts, files, exceptions and streams left behind; the socket bytes went through zc's direct buffer,
 * and every case zc does not take was declined with its reason.
 */
class ReceiveIT {
    private static final String CLASSPATH = System.getProperty("zc.corpusClasses", "target/test-classes")
            + java.io.File.pathSeparator + System.getProperty("zc.testClasspath", "");
    private static final int MIB = (1 << 20) + 3;
    private static final int BIG = 64 << 20;
    private static final List<String> DECLINED = List.of("TLS socket: the bytes must be decrypted",
            "source is java.io.ByteArrayInputStream, not a plain socket or SocketChannel stream",
            "socket input is shut down", "socket already at end of stream", "SO_TIMEOUT on a SocketChannel's stream",
            "socket channel in non-blocking mode");

    @TempDir
    static Path work;

    @BeforeAll
    static void keystore() throws Exception {
        CorpusRuns.keystore(work);
    }

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    /** Scenario -> the bytes it must move through zc's direct buffer in mode=rewrite. */
    static Map<String, Long> scenarios() {
        Map<String, Long> s = new LinkedHashMap<>();
        for (String source : List.of("socket", "channel")) {
            for (int size : List.of(0, 1, 8193, MIB, BIG)) {
                s.put("filesReceive:" + source + ":new:" + size, (long) size);
            }
            s.put("filesReceive:" + source + ":reset:" + MIB, (long) MIB);
            s.put("filesReceive:" + source + ":shutIn:8193", 0L);
            s.put("filesReceive:" + source + ":interrupted:" + MIB, source.equals("socket") ? MIB : 0L);
        }
        s.put("filesReceive:accepted:new:" + MIB, (long) MIB);
        s.put("filesReceive:accepted:reset:" + MIB, (long) MIB);
        s.put("filesReceive:timeoutSocket:new:" + MIB, (long) MIB);
        s.put("filesReceive:timeoutSocket:new:" + BIG, (long) BIG);
        s.put("filesReceive:socket:stall:" + MIB, (long) MIB);
        s.put("filesReceive:accepted:stall:8193", 8193L);
        s.put("filesReceive:channelStream:new:" + MIB, (long) MIB);
        s.put("filesReceive:socket:replace:" + MIB, (long) MIB);
        s.put("filesReceive:socket:symlink:8193", 8193L);
        for (String refused : List.of("exists", "nullOption", "badOption", "dir")) {
            s.put("filesReceive:socket:" + refused + ":8193", 0L); // the JDK throws before any byte is read
        }
        s.put("filesReceive:socket:eof:8193", 0L);
        s.put("filesReceive:timeoutChannel:new:8193", 0L);
        s.put("filesReceive:nonBlockingChannel:new:8193", 0L);
        s.put("filesReceive:tls:new:8193", 0L);
        s.put("filesReceive:bytes:new:8193", 0L);
        return s;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void receivesThroughOneDirectBufferAndChangesNothingElseAndObserveCountsIt(Jdk jdk) throws Exception {
        Map<String, Long> scenarios = scenarios();
        Path stats = work.resolve("stats-" + jdk.major());
        Map<String, String[]> off = run(jdk, "mode=off", scenarios);
        Map<String, String[]> rewrite = run(jdk, "mode=rewrite,out=" + stats, scenarios);
        CorpusRuns.assertSameObservables(scenarios.keySet(), off, rewrite, -1);
        for (String key : scenarios.keySet()) {
            if (key.endsWith(":" + BIG)) {
                // the JDK reads and writes 8 KiB (17) or 16 KiB (25) per call; zc reads up to 1 MiB, writes 64 KiB
                assertTrue(Long.parseLong(rewrite.get(key)[7]) * 10 <= Long.parseLong(off.get(key)[7]),
                        key + ": read syscalls " + off.get(key)[7] + " -> " + rewrite.get(key)[7]);
                assertTrue(Long.parseLong(rewrite.get(key)[6]) * 3 <= Long.parseLong(off.get(key)[6]),
                        key + ": write syscalls " + off.get(key)[6] + " -> " + rewrite.get(key)[6]);
            }
        }
        assertTrue(off.get("filesReceive:socket:reset:" + MIB)[5].contains("Connection reset"),
                String.join("|", off.get("filesReceive:socket:reset:" + MIB)));
        assertTrue(off.get("filesReceive:socket:stall:" + MIB)[5].contains("SocketTimeoutException"),
                String.join("|", off.get("filesReceive:socket:stall:" + MIB)));

        JsonNode doc = CorpusRuns.stats(stats);
        JsonNode site = receivesSite(doc);
        assertEquals("rewritten", site.get("status").asText());
        assertEquals(scenarios.size(), site.get("calls").asLong());
        long expected = scenarios.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(expected, site.get("bytes").get("direct").asLong(), site.toString());
        Set<String> reasons = new TreeSet<>();
        site.get("fallbacks").fieldNames().forEachRemaining(reasons::add);
        assertEquals(new TreeSet<>(DECLINED), reasons);
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
        checkObserved(jdk, scenarios, off);
    }

    private static JsonNode receivesSite(JsonNode doc) {
        for (JsonNode s : doc.get("sites")) {
            if (s.get("class").asText().equals("zc.corpus.Receives")) {
                return s;
            }
        }
        throw new AssertionError("no zc.corpus.Receives site: " + doc);
    }

    /** mode=observe keeps the JDK's copy (the same observables as mode=off) and counts what zc would receive. */
    private static void checkObserved(Jdk jdk, Map<String, Long> scenarios, Map<String, String[]> off)
            throws Exception {
        Path stats = work.resolve("stats-observe-" + jdk.major());
        CorpusRuns.assertSameObservables(scenarios.keySet(), off, run(jdk, "mode=observe,out=" + stats, scenarios), -1);
        JsonNode site = receivesSite(CorpusRuns.stats(stats));
        assertEquals("observed", site.get("status").asText());
        assertEquals(scenarios.size(), site.get("calls").asLong());
        assertEquals(0, site.get("bytes").get("direct").asLong(), site.toString());
        JsonNode would = site.get("wouldMove");
        assertEquals("direct", would.get("path").asText(), site.toString());
        long expected = scenarios.values().stream().mapToLong(Long::longValue).sum();
        // calls that end in an exception (a reset, a timeout) return no count: their bytes are not known
        assertTrue(would.get("bytes").asLong() > 0 && would.get("bytes").asLong() <= expected, site.toString());
        long declined = 0;
        for (JsonNode n : site.get("fallbackBytes")) {
            declined += n.asLong();
        }
        assertEquals(site.get("bytes").get("loop").asLong(), would.get("bytes").asLong() + declined, site.toString());
        Set<String> reasons = new TreeSet<>();
        site.get("fallbacks").fieldNames().forEachRemaining(reasons::add);
        // what would block a rewrite, as rewrite mode declines; less what zc's stream finds at its first read
        // (input shut down, at end of stream, a non-blocking channel), which observe mode never makes: no bytes move
        assertTrue(DECLINED.containsAll(reasons) && reasons.contains("TLS socket: the bytes must be decrypted")
                && reasons.contains("SO_TIMEOUT on a SocketChannel's stream"), reasons.toString());
    }

    private static Map<String, String[]> run(Jdk jdk, String options, Map<String, Long> scenarios) throws Exception {
        return CorpusRuns.run(jdk, options, List.of("-Dcorpus.keystore=" + work.resolve("ks.p12")), CLASSPATH, work,
                scenarios.keySet());
    }
}
