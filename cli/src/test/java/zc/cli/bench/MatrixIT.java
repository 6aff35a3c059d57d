package zc.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.testkit.Forked;

/** {@code zc bench matrix} as users run it, cut down to two sizes on loopback: the real CLI, agent and servers. */
class MatrixIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");

    @TempDir
    Path work;

    @Test
    void measuresEveryVariantAndWritesItsSectionIntoTheFile() throws Exception {
        Path doc = work.resolve("BENCHMARKS.md");
        Files.writeString(doc, "# Benchmarks\n\nkept before\n\n" + MatrixCommand.BEGIN + "\nan older matrix\n"
                + MatrixCommand.END + "\n\n## kept after\n");
        Path json = work.resolve("runs.json");
        Forked.Result r = zc("--sizes", "4k,4m", "--clients", "1,2", "--networks", "loopback", "--rounds", "1",
                "--bytes-per-run", "16m", "--startup-runs", "0", "--work", work.resolve("w").toString(),
                "--json", json.toString(), "--write", doc.toString());
        assertEquals(0, r.exitCode(), r.stderr());

        JsonNode out = new ObjectMapper().readTree(json.toFile());
        assertEquals(2 * 2 * 6, out.get("runs").size(), "every size x clients x variant, one round");
        for (JsonNode run : out.get("runs")) {
            long size = run.get("size").asLong();
            assertEquals(0, run.get("bytes").asLong() % size, "whole files only: " + run);
            assertTrue(run.get("bytes").asLong() >= 16L << 20 || run.get("requests").asLong() == 4096, run.toString());
            if (size == 4L << 20) {
                long syscw = run.get("server").get("syscw").asLong();
                long requests = run.get("requests").asLong();
                String v = run.get("variant").asText();
                if (v.equals("original")) {
                    assertTrue(syscw >= requests * 128, "32 KiB writes, 128 per 4 MiB file: " + run);
                } else if (!v.equals("splice")) {
                    assertTrue(syscw <= requests * 3, v + ": a head and a zero-copy body per request: " + run);
                }
            }
        }
        JsonNode sendfile = out.get("agentBytes").get("loopback zc-sendfile");
        assertTrue(sendfile.get("sendfile").asLong() >= 4L << 20, "the agent sent the 4 MiB file by sendfile");
        assertTrue(out.get("agentBytes").get("loopback zc-mmap").get("mmap").asLong() >= 4L << 20);

        String md = Files.readString(doc);
        assertTrue(md.startsWith("# Benchmarks\n\nkept before\n\n" + MatrixCommand.BEGIN), md);
        assertTrue(md.endsWith(MatrixCommand.END + "\n\n## kept after\n"), md);
        assertTrue(!md.contains("an older matrix") && md.contains("#### loopback, 2 concurrent clients"), md);
        assertTrue(md.contains("| 4 MiB | **zc-sendfile** |") && md.contains("| 4 KiB | splice |"), md);
        assertTrue(md.contains("#### Targets"), md);
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Forked.Result r = zc("--variants", "nope", "--startup-runs", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains(": unknown variant nope"), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    }

    private static Forked.Result zc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", CLI, "bench", "matrix", "--agent", AGENT));
        cmd.addAll(List.of(args));
        return Forked.run(Duration.ofMinutes(5), cmd);
    }
}
