package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.corpus.Loops;
import zc.testkit.Jdk;

/**
 * The differential corpus: every scenario (loop shape x source x sink x size) runs in a JVM with the real agent
 * jar in mode=off and in others in mode=rewrite (sendfile, mmap) and mode=observe. Sink bytes, returned totals, the final n, buffer contents,
 * source positions and exceptions must be identical; the rewritten scenarios must have gone through sendfile, the
 * others must have kept the original loop with the right reason.
 */
class DifferentialCorpusIT {
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");
    private static final int B = Loops.B;
    private static final int BIG = 64 << 20;

    static final List<String> REWRITABLE_SHAPES = List.of("whileNotEof", "whileNonNegative", "whilePositive",
            "forLoop", "readRange", "longTotal", "intTotal", "totalBeforeWrite", "finalN", "bufferReadAfter",
            "bufferParameterCaller", "boundedLong", "boundedPastEnd", "boundedIntFinalN", "flaggedField",
            "flaggedPastEnd", "flaggedFinalN", "breakChunkFinalN", "breakOnEofTotal", "constantLeft",
            "constantLeftBuffer", "readAhead", "readAheadFinalN", "catchInside", "catchRethrow", "springRange", "jettyBounded", "whileHalfChunks",
            "readAheadLocalChunk", "rafTryWithResources", "rafTryFinally", "fisSkipTryWithResources",
            "fisSkipTryFinally", "twoResources", "rafCatch", "flaggedInTry", "rafMinRemainingFirst",
            "rafMinRemainingFirstPastEnd", "fisSkipMinRemainingFirst", "fisSkipMinRemainingChunk", "rafMinChunkFirst",
            "flaggedMinChunkFirst");
    static final List<String> DECLINED_SHAPES = List.of("totalReadInHandler", "progressCallback", "digestInBody",
            "conditionalWrite", "catchAroundRead", "catchReadsN", "readAheadProgress", "rateLimited",
            "catchReadsRemaining", "finallyReadsN", "flaggedCatchReadsPending");
    static final List<Integer> SIZES = List.of(0, 1, B - 1, B, B + 1, (1 << 20) + 3);

    @TempDir
    static Path work;

    @BeforeAll
    static void keystore() throws Exception {
        CorpusRuns.keystore(work);
    }

    /** Scenario -> whether the bytes must go through sendfile. */
    static Map<String, Boolean> scenarios() {
        Map<String, Boolean> s = new java.util.LinkedHashMap<>();
        for (String shape : REWRITABLE_SHAPES) {
            for (String sink : List.of("file", "socket")) {
                for (int size : SIZES) {
                    s.put(shape + ":file:" + sink + ":" + size, size > 0);
                }
            }
        }
        for (String sink : List.of("bufferedFile", "bufferedSocket")) {
            for (int size : List.of(0, B + 1, (1 << 20) + 3)) {
                s.put("longTotal:file:" + sink + ":" + size, size > 0);
            }
        }
        for (String sink : List.of("file", "socket")) {
            s.put("longTotal:offset:" + sink + ":" + (B + 1), true);
            s.put("bufferReadAfter:offset:" + sink + ":" + (3 * B + 5), true);
        }
        for (String shape : List.of("longTotal", "whileNotEof", "finalN", "bufferReadAfter")) {
            for (String sink : List.of("channel", "channelStream")) {
                for (int size : List.of(0, B + 1, (1 << 20) + 3)) {
                    s.put(shape + ":file:" + sink + ":" + size, size > 0);
                }
            }
        }
        s.put("longTotal:file:file:" + BIG, true);
        s.put("longTotal:file:channel:" + BIG, true);
        s.put("readRange:file:bufferedSocket:" + BIG, true);
        s.put("finalN:offset:bufferedFile:" + BIG, true);
        s.put("boundedLong:file:socket:" + BIG, true);
        s.put("boundedIntFinalN:offset:bufferedSocket:" + BIG, true);
        s.put("whileNotEof:file:socket:" + BIG, true);
        s.put("flaggedField:file:socket:" + BIG, true);
        s.put("flaggedFinalN:offset:bufferedSocket:" + BIG, true);
        for (String sink : List.of("file", "socket", "gzip")) {
            s.put("flaggedEverything:file:" + sink + ":" + ((1 << 20) + 3), false);
        }
        s.put("flaggedField:buffered:socket:" + ((1 << 20) + 3), false);
        s.put("flaggedField:file:gzip:" + ((1 << 20) + 3), false);
        for (String source : List.of("buffered", "bytes", "fifo")) {
            s.put("longTotal:" + source + ":file:" + (B + 1), false);
        }
        for (String sink : List.of("append", "gzip", "data", "print", "checked", "digest", "cipher", "custom",
                "tls")) {
            s.put("longTotal:file:" + sink + ":" + ((1 << 20) + 3), false);
        }
        for (String shape : List.of("catchInside", "catchRethrow", "catchReadsN", "constantLeft", "readAhead",
                "breakChunkFinalN")) {
            s.put(shape + ":file:closedFile:" + (B + 1), false);
        }
        for (String shape : List.of("rafTryFinally", "fisSkipTryFinally", "twoResources", "rafCatch",
                "catchReadsRemaining", "finallyReadsN", "flaggedInTry", "flaggedCatchReadsPending")) {
            s.put(shape + ":file:closedFile:" + (B + 1), false);
        }
        for (String shape : List.of("rafMinRemainingFirstPastEnd", "fisSkipMinRemainingChunk",
                "flaggedMinChunkFirst")) {
            s.put(shape + ":file:closedFile:" + (B + 1), false);
        }
        s.put("rafMinRemainingFirst:file:socket:" + BIG, true);
        s.put("fisSkipMinRemainingChunk:file:bufferedSocket:" + BIG, true);
        s.put("rafTryWithResources:file:socket:" + BIG, true);
        s.put("fisSkipTryWithResources:file:bufferedSocket:" + BIG, true);
        s.put("catchRethrow:file:socket:" + BIG, true);
        s.put("readAheadFinalN:offset:bufferedSocket:" + BIG, true);
        s.put("breakChunkFinalN:offset:file:" + BIG, true);
        s.put("springRange:file:socket:" + BIG, true);
        s.put("jettyBounded:offset:bufferedSocket:" + BIG, true);
        s.put("whileHalfChunks:offset:socket:" + BIG, true);
        for (String shape : DECLINED_SHAPES) {
            s.put(shape + ":file:file:" + ((1 << 20) + 3), false);
            s.put(shape + ":file:socket:" + ((1 << 20) + 3), false);
        }
        return s;
    }

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void rewriteChangesNothingTheApplicationCanObserve(Jdk jdk) throws Exception {
        Map<String, Boolean> scenarios = scenarios();
        assertTrue(scenarios.size() >= 40, "at least 40 programs: " + scenarios.size());
        Path stats = work.resolve("stats-" + jdk.major());
        Map<String, String[]> off = run(jdk, "mode=off", scenarios);
        Map<String, String[]> rewrite = run(jdk, "mode=rewrite,minBytes=0,out=" + stats, scenarios);
        compare(scenarios, off, rewrite);
        checkStats(stats, "sendfile");

        Path observeStats = work.resolve("stats-observe-" + jdk.major());
        Map<String, String[]> observed = run(jdk, "mode=observe,minBytes=0,out=" + observeStats, scenarios);
        CorpusRuns.assertSameObservables(scenarios.keySet(), off, observed, BIG, false);
        checkObserved(observeStats);

        Path mmapStats = work.resolve("stats-mmap-" + jdk.major());
        Map<String, String[]> mapped = run(jdk, "mode=rewrite,strategy=mmap,minBytes=0,out=" + mmapStats, scenarios);
        compare(scenarios, off, mapped);
        checkStats(mmapStats, "mmap");
    }

    private static void compare(Map<String, Boolean> scenarios, Map<String, String[]> off,
                                Map<String, String[]> rewrite) {
        // a closed sink fails every write: there the exceptions (or what the handlers made of them) are compared
        off.values().stream().filter(a -> !a[1].contains(":closedFile:"))
                .forEach(a -> assertEquals("-", a[5], "the corpus itself runs clean: " + String.join("|", a)));
        CorpusRuns.assertSameObservables(scenarios.keySet(), off, rewrite, BIG);
    }

    /**
     * mode=observe: every call ran the original code (loop bytes, nothing zero-copy), and the statistics say what a
     * rewrite would have moved, and what blocks the rest with the bytes it kept.
     */
    private static void checkObserved(Path stats) throws Exception {
        Map<String, JsonNode> sites = sitesByMethod(CorpusRuns.stats(stats));
        for (String shape : REWRITABLE_SHAPES) {
            JsonNode site = sites.get(siteOf(shape));
            assertEquals("observed", site.get("status").asText(), shape);
            assertEquals(0, site.get("bytes").get("sendfile").asLong(), shape);
            assertTrue(site.get("calls").asLong() > 0, shape + ": " + site);
            assertTrue(site.get("wouldMove").get("bytes").asLong() > 0, shape + " would move bytes: " + site);
            assertEquals("sendfile", site.get("wouldMove").get("path").asText(), shape);
            if (!shape.startsWith("flagged")) {
                assertTrue(site.get("bytes").get("loop").asLong() >= site.get("wouldMove").get("bytes").asLong(),
                        shape + ": the original loop moved what a rewrite would: " + site);
            }
        }
        JsonNode longTotal = sites.get("longTotal");
        assertTrue(longTotal.get("fallbackBytes").get("GZIPOutputStream compresses the bytes").asLong() > 0,
                longTotal.toString());
    }

    private static String siteOf(String shape) {
        return shape.equals("bufferParameterCaller") ? "bufferParameter"
                : shape.equals("flaggedField") || shape.equals("flaggedPastEnd") ? "send" : shape;
    }

    private static Map<String, JsonNode> sitesByMethod(JsonNode doc) {
        Map<String, JsonNode> sites = new HashMap<>();
        doc.get("sites").forEach(site -> sites.put(site.get("method").asText().split("\\(")[0], site));
        return sites;
    }

    private static void checkStats(Path stats, String path) throws Exception {
        JsonNode doc = CorpusRuns.stats(stats);
        Map<String, JsonNode> sites = sitesByMethod(doc);
        for (String shape : REWRITABLE_SHAPES) {
            JsonNode site = sites.get(siteOf(shape));
            assertEquals("rewritten", site.get("status").asText(), shape);
            assertTrue(site.get("bytes").get(path).asLong() > 0, shape + " went through " + path + ": " + site);
        }
        for (String shape : DECLINED_SHAPES) {
            JsonNode site = sites.get(shape);
            assertEquals("declined", site.get("status").asText(), shape);
            assertTrue(!site.get("reason").isNull(), shape);
        }
        JsonNode fallbacks = sites.get("longTotal").get("fallbacks");
        for (String reason : List.of("source is java.io.BufferedInputStream, not a file stream zc reads",
                "source is java.io.ByteArrayInputStream, not a file stream zc reads",
                "source is not a regular file (a pipe, FIFO, device or socket)",
                "sink is an append-mode FileOutputStream", "GZIPOutputStream compresses the bytes",
                "DataOutputStream counts the bytes it writes", "PrintStream keeps an error flag instead of throwing",
                "CheckedOutputStream checksums the bytes", "DigestOutputStream digests the bytes",
                "CipherOutputStream encrypts the bytes",
                "TLS socket: the bytes must be encrypted")) {
            assertTrue(fallbacks.has(reason), "declined with '" + reason + "': " + fallbacks);
            assertTrue(sites.get("longTotal").get("fallbackBytes").path(reason).asLong() > 0,
                    "the bytes of calls declined with '" + reason + "'");
        }
        assertTrue(fallbacks.fieldNames().next() != null);
        assertTrue(java.util.stream.StreamSupport.stream(
                java.util.Spliterators.spliteratorUnknownSize(fallbacks.fieldNames(), 0), false)
                .anyMatch(r -> r.contains("zc.corpus.CorpusMain$") && r.contains("not a file, plain socket")),
                "an unknown OutputStream subclass: " + fallbacks);
        JsonNode flagged = sites.get("send").get("fallbacks");
        for (String reason : List.of("source is java.io.BufferedInputStream, not a file stream zc reads",
                "GZIPOutputStream compresses the bytes")) {
            assertTrue(flagged.has(reason), "the flagged loop kept as written: '" + reason + "': " + flagged);
        }
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
    }

    private Map<String, String[]> run(Jdk jdk, String agentOptions, Map<String, Boolean> scenarios)
            throws Exception {
        return CorpusRuns.run(jdk, agentOptions, List.of("-Dcorpus.keystore=" + work.resolve("ks.p12")), CLASSES,
                work, scenarios.keySet());
    }
}
