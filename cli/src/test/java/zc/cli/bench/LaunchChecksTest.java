package zc.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.cli.ZcException;

/** What keeps {@code zc bench startup} from measuring a JVM without zc, or without its archive, as if it had them. */
class LaunchChecksTest {
    @TempDir
    Path dir;

    @Test
    void agentOptionsThatSetTheModeAreAUsageError() {
        ZcException e = assertThrows(ZcException.class, () -> LaunchChecks.requireNoMode("mode=observe"));
        assertEquals(2, e.exitCode());
        assertEquals(2, assertThrows(ZcException.class,
                () -> LaunchChecks.requireNoMode("log=info, mode=rewrite")).exitCode());
        assertTrue(assertThrows(ZcException.class, () -> LaunchChecks.requireNoMode("log=info,cache=/tmp/c"))
                .getMessage().startsWith("--agent-options must not set cache: the bench uses a rewrite cache of its own"));
        assertTrue(assertThrows(ZcException.class, () -> LaunchChecks.requireNoMode("hook=java"))
                .getMessage().startsWith("--agent-options must not set hook: the 'rewrite, hook=java' variant"));
        LaunchChecks.requireNoMode("");
        LaunchChecks.requireNoMode("strategy=mmap,log=info,minBytes=1k");
    }

    @Test
    void findsTheAgentsRefusalAndDisabledLines() {
        String refused = "zc-agent: mode given twice (rewrite, mode=observe); zc is disabled, the application runs "
                + "unchanged";
        assertEquals(refused, LaunchChecks.agentRefusal("[0.1s] starting\n" + refused + "\nport 4242\n"));
        assertEquals("zc-agent: disabled, the application runs unchanged: java.lang.LinkageError: x",
                LaunchChecks.agentRefusal("port 1\nzc-agent: disabled, the application runs unchanged: "
                        + "java.lang.LinkageError: x\n"));
        assertEquals("zc-agent: already installed in this JVM (mode=rewrite); ignoring this -javaagent and its options",
                LaunchChecks.agentRefusal("zc-agent: already installed in this JVM (mode=rewrite); ignoring this "
                        + "-javaagent and its options\n"));
        // zc's statistics at exit (log=info) and an application's own output are no refusal
        assertNull(LaunchChecks.agentRefusal("port 1\nzc-agent: 1 call site, 1 sendfile, 1048576 bytes\n"));
        assertNull(LaunchChecks.agentRefusal("port 1\n"));
    }

    @Test
    void findsTheJvmsArchiveFailureOnJdk17And25() {
        String top = "[0.018s][warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: "
                + "/w/httpserver-jdk17.jsa";
        assertEquals(top, LaunchChecks.archiveFailure(top + "\nport 38443\n"));
        String aot = "[0.008s][error  ][aot] An error has occurred while processing the AOT cache. Run with -Xlog:aot "
                + "for details.";
        assertEquals(aot, LaunchChecks.archiveFailure("[0.008s][info   ][aot] trying to map /w/h.aot\n" + aot
                + "\n[0.008s][error  ][aot] Unable to map shared spaces\n"));
        assertEquals("[0.009s][error][aot] Unable to map shared spaces",
                LaunchChecks.archiveFailure("[0.009s][error][aot] Unable to map shared spaces\nport 1\n"));
        assertNull(LaunchChecks.archiveFailure("port 1\n[0.1s][info][cds] mapped\n"));
    }

    @Test
    void looksUpABareJavaOnPathLikeAShell() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = Files.createFile(bin.resolve("java"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createDirectories(dir.resolve("empty"));
        assertEquals(java, LaunchChecks.executable(Path.of("java"), dir.resolve("empty") + ":" + bin));
        // a path with a directory is taken as it is; a name on no PATH entry stays as it is (and is reported)
        assertEquals(Path.of("./java"), LaunchChecks.executable(Path.of("./java"), bin.toString()));
        assertEquals(Path.of("nojava"), LaunchChecks.executable(Path.of("nojava"), bin.toString()));
    }

    @Test
    void theServedPageIsOneMebibyteAboveZcsMinBytes() {
        byte[] page = StartupApps.page();
        assertEquals(1 << 20, page.length);
        assertEquals(new String(page, 0, 15), "<!doctype html>");
        assertEquals(new String(StartupApps.page()), new String(page));
    }
}
