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
 * of the run without zc; a RandomAccessFile subclass keeps its loop, with the reason.
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
                        "subclass bytes=" + (3 << 20) + " pointer=" + (1000 + (3 << 20))),
                off.stream().map(l -> l.replaceAll(" crc=.*", "")).toList(), "the application itself");
        for (String strategy : List.of("sendfile", "mmap")) {
            Path stats = work.resolve("stats-" + strategy);
            assertEquals(off, run(jdk, "strategy=" + strategy + ",minBytes=0,out=" + stats), strategy);
            JsonNode site = site(stats);
            assertEquals("rewritten", site.get("status").asText(), site.toString());
            assertEquals(3, site.get("calls").asLong(), site.toString());
            assertEquals((3 << 20) + 200_000, site.get("bytes").get(strategy).asLong(), site.toString());
            assertEquals(3 << 20, site.get("bytes").get("loop").asLong(), "the subclass's loop: " + site);
            assertTrue(site.get("fallbacks").has("source is " + RandomAccessRanges.class.getName() + "$CountingFile, "
                    + "a RandomAccessFile subclass (its reads may not be the file's bytes)"), site.toString());
        }
    }

    private List<String> run(Jdk jdk, String options) throws Exception {
        Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of(jdk.java().toString(),
                "-javaagent:" + AGENT + "=" + options, "-cp", CLASSES, RandomAccessRanges.class.getName(),
                work.toString()));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return r.stdout().lines().toList();
    }

    private static JsonNode site(Path stats) throws Exception {
        try (Stream<Path> files = Files.list(stats)) {
            Path f = files.filter(p -> p.getFileName().toString().endsWith(".json")).findFirst().orElseThrow();
            for (JsonNode site : new ObjectMapper().readTree(f.toFile()).get("sites")) {
                if (site.get("method").asText().startsWith("copyRange(")) {
                    return site;
                }
            }
        }
        throw new AssertionError("no site for copyRange in " + stats);
    }
}
