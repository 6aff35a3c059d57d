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
import zc.testkit.Jdk;

/**
 * Copy helpers (InputStream.transferTo, Files.copy, commons-io, Guava, Spring) in forked JVMs with the real agent:
 * mode=off against mode=rewrite, same observable results; the rewritten calls go through sendfile.
 */
class HelpersIT {
    private static final String CLASSPATH = System.getProperty("zc.corpusClasses", "target/test-classes")
            + java.io.File.pathSeparator + System.getProperty("zc.testClasspath", "");
    private static final List<String> HELPERS = List.of("transferTo", "ioUtilsCopy", "ioUtilsCopyLarge",
            "guavaCopy", "springCopy", "springFileCopy");
    private static final int BIG = 64 << 20;

    @TempDir
    static Path work;

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    static Map<String, Boolean> scenarios(int jdk) {
        Map<String, Boolean> s = new LinkedHashMap<>();
        for (String h : HELPERS) {
            for (String source : List.of("file", "bufferedRead", "bytes")) {
                for (String sink : List.of("file", "socket")) {
                    for (int size : List.of(0, 1, 8193, (1 << 20) + 3)) {
                        boolean alreadyZeroCopy = h.equals("transferTo") && source.equals("file")
                                && sink.equals("file") && jdk >= 18;
                        s.put(h + ":" + source + ":" + sink + ":" + size,
                                size > 0 && !source.equals("bytes") && !alreadyZeroCopy);
                    }
                }
            }
            s.put(h + ":file:socket:" + BIG, true);
        }
        for (String sink : List.of("file", "socket", "gzip")) {
            for (int size : List.of(0, 1, (1 << 20) + 3)) {
                s.put("filesCopy:file:" + sink + ":" + size, size > 0 && !sink.equals("gzip"));
            }
        }
        s.put("filesCopy:file:socket:" + BIG, true);
        return s;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void helpersGoZeroCopyAndChangeNothingElse(Jdk jdk) throws Exception {
        Map<String, Boolean> scenarios = scenarios(jdk.major());
        Path stats = work.resolve("stats-" + jdk.major());
        Map<String, String[]> off = run(jdk, "mode=off", scenarios);
        Map<String, String[]> rewrite = run(jdk, "mode=rewrite,minBytes=0,out=" + stats, scenarios);
        CorpusRuns.assertSameObservables(scenarios.keySet(), off, rewrite, BIG);
        JsonNode doc = CorpusRuns.stats(stats);
        Map<String, JsonNode> sites = new HashMap<>();
        doc.get("sites").forEach(site -> {
            if (site.get("class").asText().equals("zc.corpus.Helpers")) {
                sites.put(site.get("method").asText().split("\\(")[0], site);
            }
        });
        for (String h : List.of("transferTo", "filesCopy", "ioUtilsCopy", "ioUtilsCopyLarge", "guavaCopy",
                "springCopy", "springFileCopy")) {
            JsonNode site = sites.get(h);
            assertEquals("rewritten", site.get("status").asText(), h);
            assertTrue(site.get("bytes").get("sendfile").asLong() > 0, h + ": " + site);
        }
        if (jdk.major() >= 18) {
            assertTrue(sites.get("transferTo").get("fallbacks")
                    .has("already zero-copy (JDK 18+ FileInputStream.transferTo)"), sites.get("transferTo").toString());
            assertTrue(sites.get("transferTo").get("fallbackBytes")
                    .path("already zero-copy (JDK 18+ FileInputStream.transferTo)").asLong() > 0,
                    "a declined helper call records its bytes: " + sites.get("transferTo"));
        }
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void observeRunsTheOriginalHelpersAndCountsWhatARewriteWouldMove(Jdk jdk) throws Exception {
        Map<String, Boolean> scenarios = scenarios(jdk.major());
        Path stats = work.resolve("stats-observe-" + jdk.major());
        Map<String, String[]> off = run(jdk, "mode=off", scenarios);
        Map<String, String[]> observed = run(jdk, "mode=observe,minBytes=0,out=" + stats, scenarios);
        CorpusRuns.assertSameObservables(scenarios.keySet(), off, observed, BIG, false);
        JsonNode doc = CorpusRuns.stats(stats);
        for (JsonNode site : doc.get("sites")) {
            if (!site.get("class").asText().equals("zc.corpus.Helpers") || !site.get("status").asText().equals("observed")) {
                continue;
            }
            assertEquals(0, site.get("bytes").get("sendfile").asLong(), site.toString());
            if (site.get("wouldMove").get("calls").asLong() > 0) {
                assertTrue(site.get("wouldMove").get("bytes").asLong() > 0, site.toString());
                assertTrue(site.get("bytes").get("loop").asLong() >= site.get("wouldMove").get("bytes").asLong(),
                        site.toString());
            }
        }
        long would = 0;
        long original = 0;
        for (JsonNode site : doc.get("sites")) {
            would += site.get("wouldMove").get("bytes").asLong();
            if (site.get("class").asText().matches("zc\\.corpus\\.Helpers|org\\.apache\\.commons\\.io\\..*"
                    + "|com\\.google\\.common\\.io\\..*|org\\.springframework\\.util\\..*")) {
                original += site.get("bytes").get("loop").asLong();
            }
        }
        // what each helper returned: the bytes it copied (a buffered source has had 10 bytes read before)
        long copied = scenarios.keySet().stream().mapToLong(k -> Long.parseLong(off.get(k)[2])).sum();
        assertEquals(copied, original, "each byte counted once, also where a helper's own loop is a call site");
        assertTrue(would >= BIG, "the 64 MiB Files.copy alone: " + would);
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
    }

    private static Map<String, String[]> run(Jdk jdk, String options, Map<String, Boolean> scenarios)
            throws Exception {
        return CorpusRuns.run(jdk, options, List.of(), CLASSPATH, work, scenarios.keySet());
    }
}
