package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.corpus.Loops;
import zc.testkit.Jdk;

/**
 * The differential corpus for the file sources beyond an exact FileInputStream: {@code Files.newInputStream}
 * (sun.nio.ch.ChannelInputStream, at its start, after a skip, and {@code Channels.newInputStream} of a channel the
 * application positioned), FileInputStream subclasses, Guava's ByteStreams.limit and commons-io's BoundedInputStream
 * around a file stream, a
 * BufferedInputStream around a channel stream (helpers), and range copies (skip, then a bounded loop). Every loop shape the rewriter takes x sinks x sizes, mode=off against
 * mode=rewrite (sendfile and mmap), JDK 17 and 25: same results, bytes, positions, exceptions.
 */
class SourcesIT {
    private static final String CLASSPATH = System.getProperty("zc.corpusClasses", "target/test-classes")
            + java.io.File.pathSeparator + System.getProperty("zc.testClasspath", "");
    private static final int B = Loops.B;
    private static final int BIG = 64 << 20;
    private static final int MIB = (1 << 20) + 3;
    private static final int KIB64 = (64 << 10) + 1;
    private static final List<String> SOURCES = List.of("channel", "channelOffset", "channelsNew", "fisSubclass",
            "guavaLimit", "guavaLimitChannel", "guavaLimitPastEnd");
    private static final List<String> HELPERS = List.of("transferTo", "ioUtilsCopy", "ioUtilsCopyLarge",
            "guavaCopy", "springCopy", "springFileCopy");
    private static final List<String> RANGES = List.of("skipThenBounded", "skipThenBoundedPastEnd");

    @TempDir
    static Path work;
    private static Path keystore;

    static Stream<Jdk> jdks() {
        return Jdk.withJdk21().stream();
    }

    static List<String> scenarios() {
        List<String> s = new java.util.ArrayList<>();
        for (String shape : DifferentialCorpusIT.REWRITABLE_SHAPES) {
            for (String source : SOURCES) {
                for (String sink : List.of("file", "socket")) {
                    for (int size : List.of(0, B + 1, MIB)) {
                        s.add(shape + ":" + source + ":" + sink + ":" + size);
                    }
                }
            }
        }
        for (String shape : List.of("longTotal", "boundedLong", "flaggedField")) {
            for (String source : SOURCES) {
                for (String sink : List.of("bufferedSocket", "channel", "bufferedFile")) {
                    s.add(shape + ":" + source + ":" + sink + ":" + MIB);
                }
            }
        }
        for (String helper : HELPERS) {
            for (String source : List.of("channel", "channelOffset", "bufferedChannel", "fisSubclass",
                    "guavaLimitChannel")) {
                for (String sink : List.of("file", "socket")) {
                    for (int size : List.of(0, 1, MIB)) {
                        s.add(helper + ":" + source + ":" + sink + ":" + size);
                    }
                }
            }
        }
        for (String range : RANGES) {
            for (String source : List.of("channel", "file", "fisSubclass", "channelsNew")) {
                for (String sink : List.of("file", "socket", "bufferedSocket", "channel")) {
                    for (int size : List.of(0, 1, B + 1, 3 * B + 7, MIB)) {
                        s.add(range + ":" + source + ":" + sink + ":" + size);
                    }
                }
            }
        }
        // declined, each with its reason: a subclass whose read runs per chunk, a write-only channel (the loop's
        // read throws), loops over a BufferedInputStream around a channel stream, TLS and gzip sinks
        for (String shape : List.of("longTotal", "boundedLong", "transferTo")) {
            s.add(shape + ":fisSubclassReads:socket:" + MIB);
            s.add(shape + ":channelWriteOnly:file:" + MIB);
            s.add(shape + ":channel:gzip:" + MIB);
        }
        s.add("longTotal:bufferedChannel:socket:" + MIB);
        s.add("transferTo:channel:tls:" + MIB);
        s.add("skipThenBounded:channel:socket:" + BIG);
        s.add("longTotal:channel:socket:" + BIG);
        s.add("transferTo:bufferedChannel:socket:" + BIG);
        s.add("longTotal:guavaLimitChannel:socket:" + BIG);
        return s;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void newSourcesGoZeroCopyAndChangeNothingElse(Jdk jdk) throws Exception {
        List<String> scenarios = scenarios();
        Map<String, String[]> off = run(jdk, "mode=off", scenarios);
        off.values().forEach(a -> assertTrue(a[5].equals("-") || a[1].contains("channelWriteOnly"),
                "the corpus itself runs clean: " + String.join("|", a)));
        for (String strategy : List.of("sendfile", "mmap")) {
            Path stats = work.resolve("stats-" + strategy + "-" + jdk.major());
            Map<String, String[]> rewrite = run(jdk, "mode=rewrite,minBytes=0,strategy=" + strategy + ",out=" + stats,
                    scenarios);
            CorpusRuns.assertSameObservables(scenarios, off, rewrite, BIG);
            Map<String, JsonNode> sites = sites(CorpusRuns.stats(stats));
            for (String site : List.of("longTotal", "boundedLong", "send", "whileNotEof", "finalN",
                    "bufferReadAfter", "bounded", "transferTo", "guavaCopy")) {
                assertTrue(sites.get(site).get("bytes").get(strategy).asLong() > 0, site + ": " + sites.get(site));
            }
            JsonNode longTotal = sites.get("longTotal").get("fallbacks");
            for (String reason : List.of("source is zc.corpus.CorpusMain$CountingFileInputStream, a FileInputStream"
                            + " subclass that overrides CountingFileInputStream.read",
                    "source channel is not open for reading",
                    "source is java.io.BufferedInputStream, not a file stream zc reads",
                    "GZIPOutputStream compresses the bytes")) {
                assertTrue(longTotal.has(reason), "declined with '" + reason + "': " + longTotal);
            }
            assertTrue(sites.get("transferTo").get("fallbacks").has("TLS socket: the bytes must be encrypted"));
        }
    }

    /** A 206-style copy from Files.newInputStream: only the range's bytes move, all of them zero-copy. */
    @ParameterizedTest
    @MethodSource("jdks")
    void rangeCopiesMoveOnlyTheRangeZeroCopy(Jdk jdk) throws Exception {
        Path stats = work.resolve("stats-range-" + jdk.major());
        List<String> range = List.of("skipThenBounded:channel:socket:" + BIG);
        Map<String, String[]> off = run(jdk, "mode=off", range);
        Map<String, String[]> rewrite = run(jdk, "mode=rewrite,out=" + stats, range);
        CorpusRuns.assertSameObservables(range, off, rewrite, BIG);
        JsonNode site = sites(CorpusRuns.stats(stats)).get("bounded");
        assertEquals(1, site.get("calls").asLong(), site.toString());
        assertEquals(BIG / 3, site.get("bytes").get("sendfile").asLong(), site.toString());
        assertEquals(0, site.get("bytes").get("loop").asLong(), site.toString());
        // the source ends right after the range: size - (skip + range) bytes are still available
        assertEquals("available:" + (BIG - 2 * (BIG / 3)), rewrite.get(range.get(0))[4]);
    }

    /** commons-io's BoundedInputStream around a file stream: taken exactly, or declined with each reason. */
    static List<String> boundedScenarios() {
        List<String> taken = List.of("ciBounded", "ciBoundedChannel", "ciBoundedExact", "ciBoundedPastEnd",
                "ciBoundedUnlimited");
        List<String> s = new java.util.ArrayList<>();
        for (String source : taken) {
            for (String shape : DifferentialCorpusIT.REWRITABLE_SHAPES) {
                s.add(shape + ":" + source + ":socket:" + KIB64);
                s.add(shape + ":" + source + ":socket:" + MIB);
                s.add(shape + ":" + source + ":file:" + MIB);
            }
            for (String helper : List.of("transferTo", "ioUtilsCopy", "ioUtilsCopyLarge")) {
                for (String sink : List.of("file", "socket")) {
                    s.add(helper + ":" + source + ":" + sink + ":" + KIB64);
                    s.add(helper + ":" + source + ":" + sink + ":" + MIB);
                }
            }
        }
        for (String declined : List.of("ciBoundedAfterRead", "ciBoundedOnMax", "ciBoundedSubclass",
                "ciBoundedBuffered")) {
            s.add("longTotal:" + declined + ":socket:" + MIB);
            s.add("transferTo:" + declined + ":file:" + MIB);
        }
        s.add("longTotal:ciBoundedChannel:socket:" + BIG);
        s.add("transferTo:ciBounded:socket:" + BIG);
        return s;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void commonsIoBoundedInputStreamGoesZeroCopyUpToItsLimit(Jdk jdk) throws Exception {
        List<String> scenarios = boundedScenarios();
        Map<String, String[]> off = run(jdk, "mode=off", scenarios);
        off.values().forEach(a -> assertTrue(a[5].equals("-"), "the corpus itself runs clean: " + String.join("|", a)));
        // the wrapper's count and what it still lets through, as its own reads left them
        assertEquals("bounded:" + (3L * MIB / 4) + ":0:0:-1", off.get("longTotal:ciBounded:socket:" + MIB)[4]);
        assertEquals("bounded:" + (5L + MIB - 100) + ":0:0:-1",
                off.get("whileNotEof:ciBoundedExact:file:" + MIB)[4]);
        for (String strategy : List.of("sendfile", "mmap")) {
            Path stats = work.resolve("stats-bounded-" + strategy + "-" + jdk.major());
            Map<String, String[]> rewrite = run(jdk, "mode=rewrite,minBytes=0,strategy=" + strategy + ",out=" + stats,
                    scenarios);
            CorpusRuns.assertSameObservables(scenarios, off, rewrite, BIG);
            Map<String, JsonNode> sites = sites(CorpusRuns.stats(stats));
            for (String site : List.of("longTotal", "boundedLong", "whileNotEof", "readAhead", "transferTo")) {
                assertTrue(sites.get(site).get("bytes").get(strategy).asLong() > 0, site + ": " + sites.get(site));
            }
            JsonNode longTotal = sites.get("longTotal").get("fallbacks");
            for (String reason : List.of(
                    "commons-io's BoundedInputStream has an afterRead consumer, which its reads call",
                    "commons-io's BoundedInputStream has an onMaxCount consumer, which its reads call",
                    "source is zc.corpus.CommonsBounded$1, a subclass of commons-io's BoundedInputStream whose read"
                            + " hooks zc cannot see through",
                    "inside commons-io's BoundedInputStream: source is java.io.BufferedInputStream, not a file stream"
                            + " zc reads")) {
                assertTrue(longTotal.has(reason), "declined with '" + reason + "': " + longTotal);
            }
        }
    }

    /** A range from Files.newInputStream through a BoundedInputStream: exactly the limit's bytes, by sendfile. */
    @ParameterizedTest
    @MethodSource("jdks")
    void boundedInputStreamSendsNoBytePastItsLimit(Jdk jdk) throws Exception {
        Path stats = work.resolve("stats-bounded-range-" + jdk.major());
        List<String> range = List.of("longTotal:ciBoundedChannel:socket:" + BIG);
        Map<String, String[]> off = run(jdk, "mode=off", range);
        Map<String, String[]> rewrite = run(jdk, "mode=rewrite,out=" + stats, range);
        CorpusRuns.assertSameObservables(range, off, rewrite, BIG);
        JsonNode site = sites(CorpusRuns.stats(stats)).get("longTotal");
        assertEquals(1, site.get("calls").asLong(), site.toString());
        assertEquals(BIG / 2, site.get("bytes").get("sendfile").asLong(), site.toString());
        assertEquals(0, site.get("bytes").get("loop").asLong(), site.toString());
        assertEquals("bounded:" + BIG / 2 + ":0:0:-1", rewrite.get(range.get(0))[4]);
    }

    private static Map<String, JsonNode> sites(JsonNode doc) {
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
        Map<String, JsonNode> sites = new HashMap<>();
        doc.get("sites").forEach(site -> {
            if (site.get("class").asText().startsWith("zc.corpus.")) {
                sites.put(site.get("method").asText().split("\\(")[0], site);
            }
        });
        return sites;
    }

    private static Map<String, String[]> run(Jdk jdk, String options, List<String> scenarios) throws Exception {
        synchronized (SourcesIT.class) {
            if (keystore == null) {
                keystore = CorpusRuns.keystore(work);
            }
        }
        return CorpusRuns.run(jdk, options, List.of("-Dcorpus.keystore=" + keystore), CLASSPATH, work, scenarios);
    }
}
