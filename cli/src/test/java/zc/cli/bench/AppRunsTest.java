package zc.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.cli.ZcException;

/** The start-up table compares variants round by round: ratios and differences of runs made side by side. */
class AppRunsTest {
    private static List<FirstResponse.Figures> cpu(double... ms) {
        List<FirstResponse.Figures> f = new java.util.ArrayList<>();
        for (double v : ms) {
            f.add(new FirstResponse.Figures(v, v / 2));
        }
        return f;
    }

    @Test
    void ratiosAndDifferencesArePerRoundMedians() {
        // a slow round (the machine busy) moves every variant; per-round ratios stay 1.5x and 1.25x
        AppRuns runs = new AppRuns(Map.of(
                "JDK 17|httpserver|no agent", cpu(100, 100, 400),
                "JDK 17|httpserver|no-op agent, -javaagent", cpu(150, 150, 600),
                "JDK 17|httpserver|no-op agent", cpu(125, 125, 500),
                "JDK 17|httpserver|observe", cpu(140, 145, 560),
                "JDK 17|httpserver|rewrite", cpu(150, 150, 600),
                "JDK 17|httpserver|rewrite, hook=java", cpu(160, 160, 640),
                "JDK 17|httpserver|rewrite, cache off", cpu(175, 175, 700),
                "JDK 17|httpserver|rewrite, -javaagent", cpu(180, 185, 720)),
                List.of("JDK 17"), List.of("httpserver"));
        String md = runs.markdown();
        assertTrue(md.contains("| httpserver | no-op agent | 125 ms | 1.250x (+25 ms) |  | 63 ms | 1.250x (+13 ms) |"),
                md);
        assertTrue(md.contains("| httpserver | rewrite | 150 ms | 1.500x (+50 ms) | +25 ms | 75 ms | 1.500x (+25 ms) |"),
                md);
        assertTrue(md.contains("| httpserver | observe | 145 ms | 1.400x (+45 ms) | +20 ms |"), md);
        assertTrue(md.contains("| httpserver | rewrite, cache off | 175 ms | 1.750x (+75 ms) | +50 ms |"), md);
        assertTrue(md.contains("| httpserver | rewrite, hook=java | 160 ms | 1.600x (+60 ms) | +35 ms |"), md);
        // the -javaagent row's own floor is the no-op agent loaded by -javaagent
        assertTrue(md.contains("| httpserver | no-op agent, -javaagent | 150 ms | 1.500x (+50 ms) |  |"), md);
        assertTrue(md.contains("| httpserver | rewrite, -javaagent | 185 ms | 1.800x (+85 ms) | +35 ms |"), md);
    }

    @Test
    void aRunWithoutZcOrWithoutItsArchiveFailsTheBench() {
        String refused = "port 1\nzc-agent: mode given twice (rewrite, mode=observe); zc is disabled, the application "
                + "runs unchanged\n";
        Path log = Path.of("/w/startup-httpserver.log");
        ZcException e = assertThrows(ZcException.class,
                () -> AppRuns.check(refused, "httpserver", "observe", "JDK 17", null, log));
        assertEquals(1, e.exitCode());
        assertEquals("the agent did not load in the observe run of httpserver on JDK 17: zc-agent: mode given twice "
                + "(rewrite, mode=observe); zc is disabled, the application runs unchanged (see " + log + ")",
                e.getMessage());
        // the no-op agent and no agent print no zc line; a zc line there is not zc's variant
        AppRuns.check(refused, "httpserver", "no-op agent", "JDK 17", null, log);
        AppRuns.check("port 1\n", "httpserver", "rewrite", "JDK 17", null, log);
        String stale = "[0.018s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: "
                + "/w/httpserver-jdk17.jsa\nport 1\n";
        ZcException noArchive = assertThrows(ZcException.class, () -> AppRuns.check(stale, "httpserver-archived",
                "no agent", "JDK 17", Path.of("/w/httpserver-jdk17.jsa"), log));
        assertTrue(noArchive.getMessage().startsWith("the JVM did not use /w/httpserver-jdk17.jsa in the no agent run "
                + "of httpserver-archived on JDK 17: [0.018s][warning][cds,dynamic] Unable to use shared archive."),
                noArchive.getMessage());
    }

    @Test
    void theVariantsSetTheModeAndTheOptionsFollow() {
        Path zc = Path.of("/z/zc-agent.jar");
        Path cache = Path.of("/w/rewrite-cache");
        assertEquals(List.of("-agentlib:instrument=/z/zc-agent.jar=mode=observe,cache=/w/rewrite-cache,log=info"),
                AppRuns.agentFlag("observe", zc, Path.of("/n.jar"), "log=info", cache));
        assertEquals(List.of("-agentlib:instrument=/z/zc-agent.jar=mode=rewrite,cache=off,log=info"),
                AppRuns.agentFlag("rewrite, cache off", zc, Path.of("/n.jar"), "log=info", cache));
        assertEquals(List.of("-agentlib:instrument=/z/zc-agent.jar=mode=rewrite,cache=/w/rewrite-cache,hook=java,"
                + "log=info"), AppRuns.agentFlag("rewrite, hook=java", zc, Path.of("/n.jar"), "log=info", cache));
        assertEquals(List.of("-javaagent:/z/zc-agent.jar=mode=rewrite,cache=/w/rewrite-cache,log=info"),
                AppRuns.agentFlag("rewrite, -javaagent", zc, Path.of("/n.jar"), "log=info", cache));
        assertEquals(List.of("-agentlib:instrument=/n.jar"), AppRuns.agentFlag("no-op agent", zc, Path.of("/n.jar"),
                "log=info", cache));
        assertEquals(List.of("-javaagent:/n.jar"), AppRuns.agentFlag("no-op agent, -javaagent", zc, Path.of("/n.jar"),
                "log=info", cache));
    }

    @Test
    void anArchiveIsTiedToTheJarAndJavaItWasTrainedWith(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("app.jar"), "jar");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String before = StartupApps.trainedWith(java, jar);
        assertEquals(before, StartupApps.trainedWith(java, jar));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        String touched = StartupApps.trainedWith(java, jar);
        assertNotEquals(before, touched);
        Files.writeString(jar, "jar, rebuilt");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        assertNotEquals(touched, StartupApps.trainedWith(java, jar));
        Path moved = Files.copy(jar, Files.createDirectories(dir.resolve("other")).resolve("app.jar"),
                StandardCopyOption.COPY_ATTRIBUTES);
        assertNotEquals(StartupApps.trainedWith(java, jar), StartupApps.trainedWith(java, moved));
    }
}
