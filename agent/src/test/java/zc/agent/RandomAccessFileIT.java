package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.corpus.RandomAccessRanges;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * A range loop reading a RandomAccessFile after {@code seek} ({@link RandomAccessRanges}), on JDK 17 and 25: with zc
 * the bytes go zero-copy from the file pointer, and the bytes written and the file pointer after the loop are those
 * of the run without zc; a RandomAccessFile subclass keeps its loop, with the reason. The same loop inside
 * try-with-resources and try/finally goes zero-copy too, and a copy failing part-way (the peer resets) reaches the
 * catch after the resource's close with the loop's exception type.
 */
class RandomAccessFileIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "target/zc-agent.jar");
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("zc.testkit.Jdk#installed")
    void aRangeReadFromARandomAccessFileGoesZeroCopyAndLeavesItsFilePointer(Jdk jdk) throws Exception {
        List<String> off = run(jdk, "mode=off");
        int size = (4 << 20) + 5;
        assertEquals(List.of("inside bytes=" + (3 << 20) + " pointer=" + (1000 + (3 << 20)),
                        "pastEnd bytes=200000 pointer=" + size,
                        "subclass bytes=" + (3 << 20) + " pointer=" + (1000 + (3 << 20)),
                        "tryWithResources bytes=" + (3 << 20) + " pointer=" + (1000 + (3 << 20)),
                        "tryFinally bytes=200000 pointer=" + size,
                        "failing threw=java.net.SocketException closedBeforeCatch=true"),
                off.stream().map(l -> l.replaceAll(" crc=.*", "")).toList(), "the application itself");
        for (String strategy : List.of("sendfile", "mmap")) {
            Path stats = work.resolve("stats-" + strategy);
            assertEquals(off, run(jdk, "strategy=" + strategy + ",minBytes=0,out=" + stats), strategy);
            JsonNode site = site(stats, "copyRange");
            assertEquals("rewritten", site.get("status").asText(), site.toString());
            assertEquals(3, site.get("calls").asLong(), site.toString());
            assertEquals((3 << 20) + 200_000, site.get("bytes").get(strategy).asLong(), site.toString());
            assertEquals(3 << 20, site.get("bytes").get("loop").asLong(), "the subclass's loop: " + site);
            assertTrue(site.get("fallbacks").has("source is " + RandomAccessRanges.class.getName() + "$CountingFile, "
                    + "a RandomAccessFile subclass (its reads may not be the file's bytes)"), site.toString());
            // inside try-with-resources and try/finally: rewritten, every byte zero-copy, the pointer as above
            for (String method : List.of("copyRangeInTry", "copyRangeFinally")) {
                JsonNode inTry = site(stats, method);
                assertEquals("rewritten", inTry.get("status").asText(), inTry.toString());
                assertEquals(1, inTry.get("calls").asLong(), inTry.toString());
                assertEquals(method.equals("copyRangeInTry") ? 3 << 20 : 200_000,
                        inTry.get("bytes").get(strategy).asLong(), inTry.toString());
                assertEquals(0, inTry.get("bytes").get("loop").asLong(), inTry.toString());
            }
            // the copy failed part-way on the zero-copy path; the catch after the resource's close saw the
            // loop's exception type (the line above, equal to the run without zc)
            JsonNode caught = site(stats, "copyRangeCaught");
            assertEquals("rewritten", caught.get("status").asText(), caught.toString());
            assertEquals(1, caught.get("calls").asLong(), caught.toString());
            assertTrue(caught.get("bytes").get(strategy).asLong() >= 1 << 20, caught.toString());
        }
        // minBytes counts the bytes the range copies (3 MiB), not what the file holds past the pointer (4 MiB)
        Path threshold = work.resolve("stats-threshold");
        assertEquals(off, run(jdk, "minBytes=3584k,out=" + threshold));
        JsonNode small = site(threshold, "copyRangeInTry");
        assertEquals(0, small.get("bytes").path("sendfile").asLong(), small.toString());
        assertEquals(3 << 20, small.get("bytes").get("loop").asLong(), small.toString());
        assertTrue(small.get("fallbacks").has("fewer bytes to copy than minBytes"), small.toString());
    }

    private List<String> run(Jdk jdk, String options) throws Exception {
        Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of(jdk.java().toString(),
                "-javaagent:" + AGENT + "=" + options, "-cp", CLASSES, RandomAccessRanges.class.getName(),
                work.toString()));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return r.stdout().lines().toList();
    }

    private static JsonNode site(Path stats, String method) throws Exception {
        try (Stream<Path> files = Files.list(stats)) {
            Path f = files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
            for (JsonNode site : new ObjectMapper().readTree(f.toFile()).get("sites")) {
                if (site.get("method").asText().startsWith(method + "(")) {
                    return site;
                }
            }
        }
        throw new AssertionError("no site for " + method + " in " + stats);
    }
}
