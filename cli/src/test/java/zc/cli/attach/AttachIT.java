package zc.cli.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/** {@code zc attach} into a JVM already running, on JDK 17 and 25: its loaded copy loop is rewritten. */
class AttachIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");

    @TempDir
    Path work;

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void attachingRewritesLoopsThatWereAlreadyLoaded(Jdk jdk) throws Exception {
        try (Forked app = startApp(jdk)) {
            long first = Long.parseLong(app.awaitLine("first syscw=", Duration.ofSeconds(30)));
            app.awaitLine("READY", Duration.ofSeconds(30));
            Forked.Result attach = Forked.run(Duration.ofMinutes(1), List.of(java(), "-jar", CLI, "attach",
                    String.valueOf(app.process().pid()), "--agent", AGENT, "--options", "log=info,out=" + work));
            assertEquals(0, attach.exitCode(), attach.stdout() + attach.stderr());
            assertTrue(attach.stdout().contains("zc-agent loaded into " + app.process().pid()), attach.stdout());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!app.stderrSoFar().contains("loaded class(es) checked again") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(app.stderrSoFar().contains("loaded class(es) checked again"), app.stderrSoFar());
            app.send("go");
            long second = Long.parseLong(app.awaitLine("second syscw=", Duration.ofSeconds(30)));
            assertEquals("true", app.awaitLine("same=", Duration.ofSeconds(30)));
            assertTrue(first >= 1024, "before: one write per 8 KiB: " + first);
            assertTrue(second < 10, "after attach: sendfile: " + second);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void listShowsRunningJvmsAndBadPidsAreOneLine(Jdk jdk) throws Exception {
        try (Forked app = startApp(jdk)) {
            app.awaitLine("READY", Duration.ofSeconds(30));
            Forked.Result list = Forked.run(Duration.ofMinutes(1), List.of(java(), "-jar", CLI, "attach", "--list"));
            assertEquals(0, list.exitCode());
            assertTrue(list.stdout().contains(String.valueOf(app.process().pid())), list.stdout());
        }
        Forked.Result bad = Forked.run(Duration.ofMinutes(1), List.of(java(), "-jar", CLI, "attach", "999999",
                "--agent", AGENT));
        assertEquals(1, bad.exitCode());
        assertEquals(List.of("zc attach: cannot attach to 999999: no process 999999"), bad.stderrLines());
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void attachSaysWhatTheAgentDidWithItsOptions(Jdk jdk) throws Exception {
        try (Forked app = startApp(jdk)) {
            app.awaitLine("READY", Duration.ofSeconds(30));
            String pid = String.valueOf(app.process().pid());
            Forked.Result bad = attach(pid, "mode=sideways");
            assertEquals(2, bad.exitCode(), bad.stdout() + bad.stderr());
            assertEquals(List.of("zc attach: bad agent options, nothing loaded into " + pid + ": mode=sideways: "
                    + "'sideways' is not one of off|observe|rewrite"), bad.stderrLines());
            assertFalse(app.stderrSoFar().contains("loaded dynamically") || app.stderrSoFar().contains("zc-agent"),
                    "refused before the load: nothing in the application's log: " + app.stderrSoFar());
            Forked.Result off = attach(pid, "mode=off");
            assertEquals(1, off.exitCode(), off.stdout() + off.stderr());
            assertTrue(off.stderr().contains("refused to load into " + pid + ": mode=off"), off.stderr());
            Forked.Result good = attach(pid, "log=error");
            assertEquals(0, good.exitCode(), good.stdout() + good.stderr());
            assertTrue(good.stdout().startsWith("zc-agent loaded into " + pid + " (Java "), good.stdout());
            assertTrue(good.stdout().contains("mode=rewrite"), good.stdout());
            Forked.Result same = attach(pid, "log=error");
            assertEquals(0, same.exitCode(), same.stdout() + same.stderr());
            assertTrue(same.stdout().startsWith("zc-agent was already loaded into " + pid + " with these options"),
                    same.stdout());
            assertFalse(app.stderrSoFar().contains("already installed"), "not loaded again: " + app.stderrSoFar());
            Forked.Result other = attach(pid, "mode=observe");
            assertEquals(1, other.exitCode(), other.stdout() + other.stderr());
            assertEquals(List.of("zc attach: zc-agent was already loaded into " + pid + " with other options "
                    + "(log=error); these were ignored: nothing changed"), other.stderrLines());
        }
    }

    private Forked startApp(Jdk jdk) throws java.io.IOException {
        return Forked.start(List.of(jdk.java().toString(), "-cp", System.getProperty("java.class.path"),
                AttachApp.class.getName(), work.toString()));
    }

    private static Forked.Result attach(String pid, String options) throws Exception {
        return Forked.run(Duration.ofMinutes(1), List.of(java(), "-jar", CLI, "attach", pid, "--agent", AGENT,
                "--options", options));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
