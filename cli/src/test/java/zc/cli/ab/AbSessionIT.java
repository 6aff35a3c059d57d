package zc.cli.ab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.demo.harness.SendOnce;
import zc.demo.httpserver.StaticFileServer;
import zc.testkit.Forked;

/** {@code zc ab} as users run it: the real CLI jar, the real agent, real applications. */
class AbSessionIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static Path file;
    static String sha256;
    static Path big;

    @BeforeAll
    static void testFile() throws Exception {
        // a root folder whose name a shell would act on: it must reach the application as data
        Path root = Files.createDirectories(work.resolve("www; $(touch PWNED) 'q\" <x>"));
        file = root.resolve("big file.bin");
        byte[] b = new byte[64 << 20];
        new java.util.Random(7).nextBytes(b);
        Files.write(file, b);
        sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        big = work.resolve("big.bin");
        try (var out = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            for (int i = 0; i < 4; i++) {
                out.write(java.nio.ByteBuffer.wrap(b)); // 256 MiB
            }
            // written back before the session: writeback of dirty pages must not run during the measured runs
            out.force(true);
        }
    }

    @Test
    void theReadWriteDemoSendsWithSendfileOnTheBSide() throws Exception {
        // 4 GiB per run, so that the JVM's own start-up and JIT costs do not drown the transfer's
        Path out = work.resolve("rw-session");
        Forked.Result r = zc(Duration.ofMinutes(5), "ab", "--pairs", "3", "--no-warmup", "--out", out.toString(),
                "--", java(), "-cp", CLI, SendOnce.class.getName(), "--strategy", "read-write",
                "--file", big.toString(), "--repeat", "16");
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode s = session(out);
        assertTrue(s.get("complete").asBoolean());
        JsonNode writes = comparison(s, "write syscalls per GiB");
        assertTrue(writes.get("ratio").asDouble() <= 0.01, "at least 100x fewer write syscalls: " + writes);
        assertTrue(writes.get("low").asDouble() <= writes.get("ratio").asDouble()
                && writes.get("ratio").asDouble() <= writes.get("high").asDouble(), "with its interval");
        // CPU is compared, with its interval; whether B uses less is a benchmark's question (docs/BENCHMARKS.md):
        // on this 2-core machine 3 pairs of 4 GiB fall either side of 1.0
        JsonNode cpu = comparison(s, "CPU per GiB");
        assertTrue(cpu.get("a").get("median").asDouble() > 0 && cpu.get("b").get("median").asDouble() > 0, s.toString());
        assertTrue(cpu.get("low").asDouble() <= cpu.get("ratio").asDouble()
                && cpu.get("ratio").asDouble() <= cpu.get("high").asDouble(), "with its interval: " + cpu);
        long aCopies = 0;
        long bCopies = 0;
        for (JsonNode run : s.get("runs")) {
            JsonNode p = run.get("profile");
            assertNotNull(p, "a profile for every run");
            assertTrue(Files.isRegularFile(out.resolve(p.get("jfr").asText())));
            assertTrue(Files.isRegularFile(out.resolve(p.get("collapsed").asText())));
            if (p.get("engine").asText().equals("perf_events")) {
                if (run.get("side").asText().equals("A")) {
                    aCopies += p.get("kernelCopyFrames").asLong();
                } else {
                    bCopies += p.get("kernelCopyFrames").asLong();
                }
            }
        }
        if ("root".equals(System.getProperty("user.name"))) {
            assertTrue(aCopies >= 10 && bCopies <= 2, "kernel copy frames A " + aCopies + ", B " + bCopies);
        }
        assertTrue(Files.isRegularFile(out.resolve("flame-A.html")) && Files.isRegularFile(out.resolve("flame-B.html")));
        assertTrue(Files.isRegularFile(out.resolve(s.get("diffFlameGraph").asText())));
    }

    @Test
    void anHttpServerGivenOnlyAsACommandLine() throws Exception {
        int port = freePort();
        Path out = work.resolve("http-session");
        String url = "http://127.0.0.1:" + port + "/big%20file.bin";
        Forked.Result r = zc(Duration.ofMinutes(5), "ab", "--pairs", "2", "--out", out.toString(), "--http", url,
                "--concurrency", "8", "--requests", "16", "--sha256", sha256, "--ready-port", String.valueOf(port),
                "--", java(), "-cp", CLI, StaticFileServer.class.getName(), "--root", file.getParent().toString(),
                "--port", String.valueOf(port));
        assertEquals(0, r.exitCode(), r.stderr());
        JsonNode s = session(out);
        assertTrue(s.get("complete").asBoolean());
        assertEquals(Set.of(), JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
                .getSchema(schema()).validate(s), "session.json follows docs/session-schema.json");
        assertEquals(5, s.get("runs").size(), "a warm-up and two pairs");
        for (JsonNode run : s.get("runs")) {
            assertEquals("ok", run.get("status").asText());
            assertEquals(16L * (64 << 20), run.get("bytes").asLong());
        }
        assertTrue(comparison(s, "write syscalls per GiB").get("ratio").asDouble() < 0.05, s.toString());
        assertEquals(file.getParent().toString(), s.get("command").get(5).asText());
        assertFalse(Files.exists(Path.of("PWNED")) || Files.exists(work.resolve("PWNED")), "arguments are data");
    }

    @Test
    void failuresAreOneLineAndKeepThePartialSession() throws Exception {
        Path out = work.resolve("no-start");
        Forked.Result noStart = zc(Duration.ofMinutes(1), "ab", "--pairs", "1", "--no-warmup", "--no-profile",
                "--out", out.toString(), "--", "/nonexistent/java");
        assertEquals(1, noStart.exitCode());
        assertTrue(noStart.stdout().contains("incomplete: run 1 (A) failed: the command did not start"),
                noStart.stdout());
        assertFalse(session(out).get("complete").asBoolean());

        Forked.Result exits = zc(Duration.ofMinutes(1), "ab", "--pairs", "1", "--no-warmup", "--no-profile",
                "--out", work.resolve("exits").toString(), "--", java(), "-cp", CLI, SendOnce.class.getName(),
                "--strategy", "nope", "--file", "x");
        assertEquals(1, exits.exitCode());
        assertTrue(exits.stdout().contains("the application exited with status 1"), exits.stdout());

        int port = freePort();
        Forked.Result notReady = zc(Duration.ofMinutes(1), "ab", "--pairs", "1", "--no-warmup", "--no-profile",
                "--out", work.resolve("not-ready").toString(), "--http", "http://127.0.0.1:" + freePort() + "/x",
                "--ready-port", String.valueOf(freePort()), "--ready-timeout", "2s", "--",
                java(), "-cp", CLI, StaticFileServer.class.getName(), "--root", work.toString(), "--port",
                String.valueOf(port));
        assertEquals(1, notReady.exitCode());
        assertTrue(notReady.stdout().contains("was not ready within 2 s"), notReady.stdout());

        port = freePort();
        Forked.Result missing = zc(Duration.ofMinutes(1), "ab", "--pairs", "1", "--no-warmup", "--no-profile",
                "--out", work.resolve("404").toString(), "--http", "http://127.0.0.1:" + port + "/nope",
                "--requests", "1", "--ready-port", String.valueOf(port), "--", java(), "-cp", CLI,
                StaticFileServer.class.getName(), "--root", work.toString(), "--port", String.valueOf(port));
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stdout().contains("answered 404"), missing.stdout());

        Forked.Result usage = zc(Duration.ofMinutes(1), "ab", "--http", "http://x/", "--", "java");
        assertEquals(2, usage.exitCode());
        assertEquals(1, usage.stderrLines().size(), usage.stderr());
    }

    @Test
    void ctrlCKeepsThePartialSessionAndLeavesNoJvmBehind() throws Exception {
        int port = freePort();
        Path out = work.resolve("interrupted");
        // env resets SIGINT to its default first: a build started in the background of a non-interactive shell
        // inherits SIGINT ignored, and a JVM started so never sees Ctrl-C (it keeps an ignored SIGINT ignored)
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", java(), "-Dzc.home=..", "-jar", CLI,
                "ab", "--pairs", "3",
                "--no-profile", "--out", out.toString(), "--agent", AGENT, "--http",
                "http://127.0.0.1:" + port + "/big%20file.bin", "--duration", "60s", "--ready-port",
                String.valueOf(port), "--", java(), "-cp", CLI, StaticFileServer.class.getName(), "--root",
                file.getParent().toString(), "--port", String.valueOf(port)));
        try (Forked zc = Forked.start(cmd)) {
            Path sessionFile = out.resolve("runs");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.isRegularFile(out.resolve("runs/01-B/proc.jsonl")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1500);
            List<ProcessHandle> targets = zc.process().descendants().toList();
            assertFalse(targets.isEmpty(), "the application runs");
            new ProcessBuilder("kill", "-INT", String.valueOf(zc.process().pid())).start().waitFor();
            Forked.Result r = zc.await(Duration.ofSeconds(30));
            assertTrue(Files.isDirectory(sessionFile));
            JsonNode s = session(out);
            assertFalse(s.get("complete").asBoolean());
            assertTrue(s.get("error").asText().contains("interrupted"), s.toString());
            for (ProcessHandle t : targets) {
                t.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertFalse(t.isAlive(), "no orphaned JVM: " + t.pid());
            }
            assertTrue(r.exitCode() != 0);
        }
    }

    private static JsonNode comparison(JsonNode session, String metric) {
        for (JsonNode c : session.get("comparisons")) {
            if (c.get("metric").asText().equals(metric)) {
                return c;
            }
        }
        throw new AssertionError("no " + metric + " in " + session);
    }

    private static JsonNode session(Path dir) throws Exception {
        return JSON.readTree(dir.resolve("session.json").toFile());
    }

    private static InputStream schema() throws Exception {
        return Files.newInputStream(Path.of("../docs/session-schema.json"));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Forked.Result zc(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", CLI));
        cmd.add(args[0]);
        cmd.addAll(List.of("--agent", AGENT));
        cmd.addAll(List.of(args).subList(1, args.length));
        return Forked.run(timeout, cmd);
    }
}
