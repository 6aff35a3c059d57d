package zc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.testkit.Forked;

/** {@code zc demo} as users run it: the shaded jar in its own JVM. */
class ZcDemoIT {
    private static final String JAR = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final double GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void runsAllSevenStrategiesAndWritesTheirCountersAsJson() throws Exception {
        Path json = dir.resolve("out.json");
        boolean strace = Platform.onPath("strace") != null;
        List<String> args = new ArrayList<>(List.of("demo", "--size", "64m", "--rounds", "1", "--json",
                json.toString(), "--cache", dir.resolve("cache").toString()));
        if (strace) {
            args.add("--syscalls");
        }
        Forked.Result r = zc(Duration.ofMinutes(5), args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("read-write") && r.stdout().contains("file-transfer"), r.stdout());

        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertTrue(doc.get("complete").asBoolean());
        JsonNode results = doc.get("results");
        assertEquals(7, results.size());
        Map<String, JsonNode> byStrategy = new HashMap<>();
        for (JsonNode run : results) {
            assertEquals("ok", run.get("integrity").asText());
            assertEquals(1, run.get("round").asInt());
            assertEquals(64L << 20, run.get("bytes").asLong());
            for (String counter : List.of("syscr", "syscw", "rchar", "wchar", "voluntaryCtxSwitches",
                    "nonvoluntaryCtxSwitches", "minorFaults", "majorFaults", "cpuUserNs", "cpuSysNs", "wallNs")) {
                assertTrue(run.get("counters").has(counter), counter);
            }
            assertTrue(run.get("model").has("cpuCopies"));
            byStrategy.put(run.get("strategy").asText(), run);
        }
        List<String> order = new ArrayList<>();
        results.forEach(run -> order.add(run.get("strategy").asText()));
        assertEquals(Arrays.asList("read-write", "mmap-write", "sendfile", "sendfile-gather", "splice",
                "file-read-write", "file-transfer"), order);

        double rwWrites = perGib(byStrategy.get("read-write"), "syscw");
        assertTrue(rwWrites >= 100 * perGib(byStrategy.get("sendfile"), "syscw"),
                "sendfile: 100x fewer write syscalls per GiB than read-write");
        double mmapFaults = perGib(byStrategy.get("mmap-write"), "minorFaults");
        double rwFaults = perGib(byStrategy.get("read-write"), "minorFaults");
        assertTrue(mmapFaults >= 10 * rwFaults, "mmap-write: 10x the minor faults per GiB of read-write (" + mmapFaults
                + " vs " + rwFaults + ")");
        JsonNode rw = byStrategy.get("read-write").get("counters");
        assertTrue(rw.get("voluntaryCtxSwitches").asLong() + rw.get("nonvoluntaryCtxSwitches").asLong() > 0);
        if (strace) {
            assertTrue(doc.get("syscalls").get("splice").get("splice").asLong() >= 128,
                    "64 pipe-fulls, two splices each: " + doc.get("syscalls").get("splice"));
        }
    }

    @Test
    void unknownStrategyIsOneLineAndUsageStatus() throws Exception {
        Forked.Result r = zc(Duration.ofMinutes(1), "demo", "--strategies", "read-write,zerocopy");
        assertEquals(2, r.exitCode());
        assertEquals(List.of("zc demo: unknown strategy 'zerocopy' (known: read-write, mmap-write, sendfile, "
                + "sendfile-gather, splice, file-read-write, file-transfer)"), r.stderrLines());
    }

    @Test
    void sizeThatDoesNotParseIsOneLine() throws Exception {
        Forked.Result r = zc(Duration.ofMinutes(1), "demo", "--size", "lots");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertTrue(r.stderr().contains("'lots' is not a size"), r.stderr());
    }

    @Test
    void noRoomForTheTestFileIsOneLineAndLeavesNothingBehind() throws Exception {
        Path cache = dir.resolve("cache");
        Forked.Result r = zc(Duration.ofMinutes(1), "demo", "--size", "1000t", "--cache", cache.toString());
        assertEquals(3, r.exitCode());
        assertEquals(1, r.stderrLines().size(), r.stderr());
        assertTrue(r.stderr().startsWith("zc demo: no room for the test file"), r.stderr());
        try (var files = Files.list(cache)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void aDemoJvmThatFailsIsOneLineAndPartialJsonIsKept() throws Exception {
        Path json = dir.resolve("partial.json");
        // the splice demo speaks IPv4 only: its sender JVM fails after read-write succeeded
        Forked.Result r = zc(Duration.ofMinutes(2), "demo", "--size", "1m", "--rounds", "1", "--host", "::1",
                "--strategies", "read-write,splice", "--json", json.toString(),
                "--cache", dir.resolve("cache").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.stderrLines().stream().filter(l -> l.startsWith("zc demo:")).count(), r.stderr());
        assertTrue(r.stderr().contains("IPv4"), r.stderr());
        assertFalse(r.stderr().contains("Exception"), r.stderr());
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertFalse(doc.get("complete").asBoolean());
        assertEquals("read-write", doc.get("results").get(0).get("strategy").asText());
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        Forked.Result top = zc(Duration.ofMinutes(1), "--help");
        assertEquals(0, top.exitCode());
        assertTrue(top.stdout().contains("demo"));
        Forked.Result demo = zc(Duration.ofMinutes(1), "demo", "--help");
        assertEquals(0, demo.exitCode());
        assertTrue(demo.stdout().contains("--strategies") && demo.stdout().contains("--syscalls"));
    }

    private static double perGib(JsonNode run, String counter) {
        return run.get("counters").get(counter).asDouble() * GIB / run.get("bytes").asDouble();
    }

    private static Forked.Result zc(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR));
        cmd.addAll(List.of(args));
        return Forked.run(timeout, cmd);
    }
}
