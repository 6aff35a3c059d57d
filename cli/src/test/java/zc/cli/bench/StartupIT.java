package zc.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * {@code zc bench startup} as users run it, cut down to one round of the httpserver app (plain and with its own
 * class-data archive) on each installed JDK: the real CLI, agent and application.
 */
class StartupIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final String APPS = System.getProperty("zc.appsDir", "../startup-apps/target");
    private static final Pattern ROW = Pattern.compile(
            "\\| (httpserver[^|]*) \\| (no agent|no-op agent, -javaagent|no-op agent|observe|rewrite|rewrite, hook=java|rewrite, cache off|rewrite, -javaagent) \\| (\\d+) ms \\|[^|]*\\|[^|]*\\| (\\d+) ms \\|");

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("zc.testkit.Jdk#installed")
    void measuresEveryVariantToTheFirst200(Jdk jdk) throws Exception {
        // an archive left by an earlier build, stamped as if trained with this java and jar: the JVM cannot map it
        // (JDK 17 drops it without a word), so the bench trains it again instead of measuring no archive
        Path archive = work.resolve("httpserver-jdk" + jdk.major() + (jdk.major() >= 25 ? ".aot" : ".jsa"));
        byte[] stale = "no archive\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(archive, stale);
        Files.writeString(work.resolve(archive.getFileName() + ".stamp"), StartupApps.trainedWith(jdk.java(),
                Path.of(APPS, "zc-startup-apps-0.1.0-SNAPSHOT.jar")));
        Forked.Result r = zc("--rounds", "1", "--runs", "0", "--apps", "httpserver,httpserver-archived",
                "--java", jdk.java().toString(), "--agent-options", "log=info", "--apps-dir", APPS,
                "--work", work.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertFalse(Arrays.equals(stale, Files.readAllBytes(archive)), "trained again");
        String archivedRun = Files.readString(work.resolve("startup-httpserver-archived.log"));
        assertNull(LaunchChecks.archiveFailure(archivedRun), archivedRun);
        // the round's last run is the rewrite loaded by -javaagent, its rewrite from the cache: its first 200, the 1 MiB
        // page, went by sendfile
        try (java.util.stream.Stream<Path> kept = Files.list(work.resolve("rewrite-cache"))) {
            assertTrue(kept.anyMatch(p -> p.toString().endsWith(".zcr")), "observe and rewrite kept their rewrites");
        }
        String rewriteRun = Files.readString(work.resolve("startup-httpserver.log"));
        assertTrue(rewriteRun.contains("zc-agent: 1 copy loop(s) seen, 1 rewritten; 1 call(s): 1048576 bytes by "
                + "sendfile"), rewriteRun);
        Matcher m = ROW.matcher(r.stdout());
        List<String> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1) + "/" + m.group(2));
            assertTrue(Long.parseLong(m.group(3)) > 0, "some CPU: " + m.group());
            assertTrue(Long.parseLong(m.group(4)) > 0, "some wall time: " + m.group());
        }
        String archived = jdk.major() >= 25 ? "httpserver + AOT cache" : "httpserver + AppCDS archive";
        List<String> expected = new ArrayList<>();
        for (String app : List.of("httpserver", archived)) {
            for (String variant : AppRuns.VARIANTS) {
                expected.add(app + "/" + variant);
            }
        }
        assertEquals(expected, rows, r.stdout());
        assertEquals(List.of("no agent", "no-op agent, -javaagent", "no-op agent", "observe", "rewrite",
                "rewrite, hook=java", "rewrite, cache off", "rewrite, -javaagent"), AppRuns.VARIANTS);
    }

    @Test
    void aZcRunWhoseAgentRefusedToLoadFailsTheBench() throws Exception {
        // a bare java is looked up on PATH; out= that cannot be created makes the agent refuse (one line of its own)
        Forked.Result r = zc("--rounds", "1", "--runs", "0", "--apps", "httpserver", "--jdks", "java",
                "--agent-options", "out=/proc/zc-nope", "--apps-dir", APPS, "--work", work.toString());
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        String error = r.stderr().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(error.startsWith("zc bench startup: the agent did not load in the observe run of httpserver "
                + "on JDK "), r.stderr());
        assertTrue(error.contains(": zc-agent: out=/proc/zc-nope"), error);
        assertTrue(error.contains("zc is disabled, the application runs unchanged"), error);
        assertFalse(r.stdout().contains("| httpserver |"), r.stdout());
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Forked.Result mode = zc("--agent-options", "log=info,mode=observe", "--apps", "httpserver");
        assertEquals(2, mode.exitCode());
        assertTrue(mode.stderr().contains("--agent-options must not set mode"), mode.stderr());
        assertEquals(1, mode.stderr().strip().lines().count(), mode.stderr());
        Forked.Result r = zc("--apps", "tomcat");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().contains("unknown app tomcat"), r.stderr());
        assertEquals(1, r.stderr().strip().lines().count(), r.stderr());
        Forked.Result missing = zc("--apps", "spring", "--apps-dir", work.toString(), "--runs", "0");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().contains("no zc-startup-spring.jar in"), missing.stderr());
        Forked.Result httpOnly = zc("--apps", "httpserver", "--apps-dir", work.toString(), "--runs", "0");
        assertEquals(List.of("zc bench startup: no zc-startup-apps-0.1.0-SNAPSHOT.jar in " + work + " (build it: "
                + "./mvnw -q -B package -DskipTests, or pass --apps-dir)"), httpOnly.stderrLines());
        Path file = Files.writeString(work.resolve("a-file"), "x");
        String[][] bad = {
            {"--java", "/nonexistent/java", "--apps", "httpserver"}, {"--java: no java at '/nonexistent/java'"},
            {"--jdks", "", "--apps", "httpserver"}, {"--jdks: no java at ''"},
            {"--java", "java", "--jdks", "java"}, {"give --java or --jdks, not both (--jdks runs every JDK it names)"},
            {"--apps", "none", "--runs", "0"}, {"nothing to measure: --apps none and --runs 0"},
            {"--work", file.toString()}, {"--work " + file + ": not a directory"},
        };
        for (int i = 0; i < bad.length; i += 2) {
            Forked.Result b = zc(bad[i]);
            assertEquals(2, b.exitCode(), String.join(" ", bad[i]) + ": " + b.stderr());
            assertEquals(List.of("zc bench startup: " + bad[i + 1][0]), b.stderrLines());
        }
        List<String> notAgent = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", CLI, "bench", "startup", "--agent", file.toString(), "--apps", "httpserver"));
        Forked.Result agent = Forked.run(Duration.ofMinutes(1), notAgent);
        assertEquals(2, agent.exitCode(), agent.stderr());
        assertTrue(agent.stderr().startsWith("zc bench startup: --agent " + file + ": not a jar ("), agent.stderr());
        Forked.Result version = zc("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("zc "), version.stdout());
    }

    private static Forked.Result zc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", CLI, "bench", "startup", "--agent", AGENT));
        cmd.addAll(List.of(args));
        return Forked.run(Duration.ofMinutes(5), cmd);
    }
}
