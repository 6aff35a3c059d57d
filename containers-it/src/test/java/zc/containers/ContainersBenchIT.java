package zc.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.testkit.Forked;

/**
 * {@code zc bench containers} runs end to end on every container it knows (the smallest bench: 1 MiB, one client,
 * three rounds): each container's table has every variant it serves, every download was answered with the file's
 * bytes (the bench fails otherwise), and the targets are checked. What it measures is not asserted: a benchmark.
 */
class ContainersBenchIT {
    private static final Path LAUNCHERS = Path.of(System.getProperty("zc.launchers", "target/test-classes"))
            .getParent();

    @TempDir
    Path work;

    @Test
    void benchesEveryContainerWithItsVariants() throws Exception {
        Forked.Result r = Forked.run(Duration.ofMinutes(10), List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("zc.cliJar"), "bench", "containers", "--sizes", "1m", "--clients", "1",
                "--rounds", "3", "--bytes-per-run", "2m", "--launchers", LAUNCHERS.toString(),
                "--agent", System.getProperty("zc.agentJar"), "--work", work.toString()));

        assertEquals(0, r.exitCode(), r.stderr());
        String md = r.stdout();
        for (String heading : List.of("#### Tomcat 10.1 NIO (own path: DefaultServlet",
                "#### Jetty 12 ee10 (own path: ResourceHandler", "#### Undertow 2.3 (own path: ResourceHandler",
                "#### JDK httpserver (own path: none)")) {
            assertTrue(md.contains(heading), md);
        }
        // a row per variant and container: all four have the loop with and without zc, three an own path, Tomcat
        // alone mapped-write
        for (String[] rows : new String[][] {{"original", "4"}, {"zc", "4"}, {"own", "3"}, {"mapped-write", "1"}}) {
            assertEquals(Integer.parseInt(rows[1]), md.lines().filter(l -> l.startsWith("| 1 MiB | 1 | " + rows[0]
                    + " |")).count(), md);
        }
        assertEquals(4, md.lines().filter(l -> l.startsWith("- **") && l.contains(" 1 MiB x1: ")).count(), md);
    }

    @Test
    void refusesAnUnknownContainerInOneLine() throws Exception {
        Forked.Result r = Forked.run(Duration.ofMinutes(2), List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("zc.cliJar"), "bench", "containers", "--containers", "tomcat,wildfly",
                "--launchers", LAUNCHERS.toString()));

        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("unknown container 'wildfly' (known: tomcat, jetty, undertow, jdk)"),
                r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
    }
}
