package zc.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.testkit.Forked;

/** {@code zc bench soak} cut down to seconds: the real CLI, agent and static-file servers. */
class SoakIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");

    @TempDir
    Path work;

    @Test
    void aShortSoakChecksEveryDownloadAndFindsNoLeak() throws Exception {
        Forked.Result r = zc("--minutes", "0.15", "--clients", "4", "--work", work.toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().lines().anyMatch(l -> l.matches("soak 0:\\d\\d / 0:09: sendfile intact \\d+,.*")),
                "progress: " + r.stderr());
        for (String server : List.of("sendfile", "mmap")) {
            String row = r.stdout().lines().filter(l -> l.startsWith("| " + server + " |")).findFirst()
                    .orElseThrow(() -> new AssertionError(r.stdout()));
            String[] cells = row.split("\\|");
            assertTrue(Long.parseLong(cells[2].strip().replace(",", "")) > 0, "whole downloads, intact: " + row);
            assertEquals("0", cells[4].strip(), "corrupt: " + row);
            assertEquals("0", cells[8].strip(), "failed: " + row);
            assertTrue(!cells[9].strip().startsWith(server.equals("sendfile") ? "0 MiB" : "0 MiB / 0 MiB"),
                    "bytes went by " + server + ": " + row);
            assertEquals("yes", cells[13].strip(), row);
        }
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Forked.Result r = zc("--minutes", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("--minutes must be in (0, 1440]"), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    }

    private static Forked.Result zc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", CLI, "bench", "soak", "--agent", AGENT));
        cmd.addAll(List.of(args));
        return Forked.run(Duration.ofMinutes(3), cmd);
    }
}
