package zc.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.demo.httpserver.StaticFileServer;
import zc.demo.strategy.Strategy;
import zc.proc.ProcIo;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * The demos as users' applications under {@code -javaagent:zc-agent.jar}: the read-write demo and the static-file
 * server send with sendfile, with at least 100x fewer write syscalls per GiB, and every byte checks out.
 */
class AgentOnDemosIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final long SIZE = 64L << 20;

    @TempDir
    static Path cache;
    static Path file;

    @BeforeAll
    static void testFile() {
        Progress quiet = new Progress(new PrintWriter(new StringWriter()), false, true);
        file = TestFile.ensure(cache, SIZE, 0, quiet);
        TestFile.warm(file, quiet);
    }

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theReadWriteDemoSendsWithSendfile(Jdk jdk) {
        DemoRun plain = new DemoLauncher(setup(jdk, List.of())).run(Strategy.READ_WRITE, 1, file, SIZE);
        DemoRun agent = new DemoLauncher(setup(jdk, List.of("-javaagent:" + AGENT)))
                .run(Strategy.READ_WRITE, 1, file, SIZE);
        assertEquals("ok", plain.integrity());
        assertEquals("ok", agent.integrity());
        long before = plain.sender().counters().syscw();
        long after = agent.sender().counters().syscw();
        assertTrue(before >= 1024, "64 KiB writes: " + before);
        assertTrue(after * 100 <= before, "write syscalls " + before + " -> " + after);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void theStaticFileServerSendsWithSendfile(Jdk jdk) throws Exception {
        long plain = serveAndCountWrites(jdk, List.of());
        long agent = serveAndCountWrites(jdk, List.of("-javaagent:" + AGENT));
        assertTrue(plain >= 1024, "32 KiB writes: " + plain);
        assertTrue(agent * 100 <= plain, "write syscalls " + plain + " -> " + agent);
    }

    /** Serves the test file to 4 concurrent clients; returns the server's write syscalls during the requests. */
    private static long serveAndCountWrites(Jdk jdk, List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("zc.cliJar"), StaticFileServer.class.getName(),
                "--root", cache.toString(), "--port", "0"));
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        try (Forked server = Forked.start(cmd)) {
            int port = Integer.parseInt(server.awaitLine("ZC-LISTENING ", Duration.ofSeconds(30)).strip());
            Path io = Path.of("/proc", String.valueOf(server.process().pid()), "io");
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            long before = ProcIo.read(io).syscw();
            List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                responses.add(client.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/" + file.getFileName())).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (var r : responses) {
                HttpResponse<byte[]> response = r.get();
                assertEquals(200, response.statusCode());
                assertArrayEquals(expected, MessageDigest.getInstance("SHA-256").digest(response.body()));
            }
            return ProcIo.read(io).syscw() - before;
        }
    }

    private static DemoSetup setup(Jdk jdk, List<String> extra) {
        List<String> flags = new ArrayList<>(DemoSetup.JVM_FLAGS);
        flags.addAll(extra);
        return new DemoSetup(jdk.java(), flags, System.getProperty("zc.cliJar"), "127.0.0.1", List.of(), List.of(),
                cache);
    }
}
