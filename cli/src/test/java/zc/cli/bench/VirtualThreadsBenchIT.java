package zc.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/** {@code zc bench virtual-threads} cut down to seconds: the real CLI, agent and server on a JDK 21+. */
class VirtualThreadsBenchIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");

    @TempDir
    Path work;

    @Test
    void measuresBothModesAndWritesItsSectionForTheJdk() throws Exception {
        Jdk jdk = Jdk.installed().stream().filter(j -> j.major() >= 21).findFirst().orElse(null);
        Assumptions.assumeTrue(jdk != null, "no JDK 21+ installed");
        Path doc = work.resolve("BENCHMARKS.md");
        Files.writeString(doc, "# Benchmarks\n\nkept\n");
        Forked.Result r = zc("--java", jdk.java().toString(), "--slow-clients", "50", "--fast-clients", "2",
                "--downloads", "4", "--fast-size", "1m", "--rounds", "3", "--work", work.toString(),
                "--write", doc.toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(6, r.stderr().lines().filter(l -> l.matches("round \\d/3 (off|rewrite): fast \\d+ MB/s.*"))
                .count(), "progress: " + r.stderr());
        for (String mode : List.of("off", "rewrite")) {
            assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("| " + mode + " | ")), r.stdout());
        }
        assertTrue(r.stdout().contains("rewrite / off, median of the per-round ratios"), r.stdout());
        String written = Files.readString(doc);
        assertTrue(written.startsWith("# Benchmarks\n\nkept\n") && written.contains(
                "<!-- zc bench virtual-threads, JDK " + jdk.major() + ": begin (generated, do not edit) -->"), written);
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Forked.Result r = zc("--rounds", "2");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("--rounds must be at least 3"), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        Jdk old = Jdk.installed().stream().filter(j -> j.major() < 21).findFirst().orElse(null);
        if (old != null) {
            Forked.Result tooOld = zc("--java", old.java().toString());
            assertEquals(2, tooOld.exitCode());
            assertTrue(tooOld.stderr().contains("--java must be JDK 21 or later"), tooOld.stderr());
        }
    }

    private static Forked.Result zc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", CLI, "bench", "virtual-threads", "--agent", AGENT));
        cmd.addAll(List.of(args));
        return Forked.run(Duration.ofMinutes(5), cmd);
    }
}
