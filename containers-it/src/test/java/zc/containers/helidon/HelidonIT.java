package zc.containers.helidon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * Helidon 4.5 SE from Maven Central, unmodified: its static-content feature serving a disk folder, configured by a
 * properties file and started by {@code io.helidon.Main} (Helidon 4 needs Java 21: JDK 25 here). Every request runs
 * on a virtual thread, as Helidon 4 always does. Off vs rewrite: every byte and header (but Date) equal for sizes
 * around the buffers and minBytes, a range request, a HEAD, several requests on one kept-alive connection and 20
 * concurrent clients; a client that gives up mid-body leaves the server serving; with zc at least 90% of the body
 * bytes go past Helidon's stream by sendfile.
 */
class HelidonIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final String CP = System.getProperty("zc.cp.helidon", "");
    private static final Map<String, Integer> FILES = new LinkedHashMap<>();

    static {
        for (int size : new int[] {0, 1, 8191, 8192, 8193, 65535, 65537, (1 << 20) + 7, 64 << 20}) {
            FILES.put("f" + size + ".bin", size);
        }
    }

    @TempDir
    static Path work;
    static Path www;

    @BeforeAll
    static void files() throws IOException {
        www = Files.createDirectories(work.resolve("www"));
        Random random = new Random(13);
        for (Map.Entry<String, Integer> f : FILES.entrySet()) {
            byte[] b = new byte[f.getValue()];
            random.nextBytes(b);
            Files.write(www.resolve(f.getKey()), b);
        }
    }

    static Stream<Jdk> jdks() {
        return Jdk.withJdk21().stream().filter(j -> j.major() >= 21);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void staticContentIsServedTheSameAndZeroCopy(Jdk jdk) throws Exception {
        Map<String, String> off = serve(jdk, "mode=off", null);
        Path stats = work.resolve("stats-" + jdk.major());
        Map<String, String> rewrite = serve(jdk, "mode=rewrite", stats);
        assertEquals(off.keySet(), rewrite.keySet());
        for (String key : off.keySet()) {
            assertEquals(off.get(key), rewrite.get(key), key);
        }

        JsonNode doc;
        try (Stream<Path> s = Files.list(stats)) {
            doc = new ObjectMapper().readTree(s.findFirst().orElseThrow().toFile());
        }
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
        long zeroCopy = 0;
        long loop = 0;
        for (JsonNode site : doc.get("sites")) {
            zeroCopy += site.get("via").path("helidon-sendfile").asLong();
            loop += site.get("bytes").get("loop").asLong();
        }
        // every file twice, 10 x 1 MiB and 10 x 64 MiB concurrently, the range; not the aborted download
        long body = 2L * FILES.values().stream().mapToLong(Integer::longValue).sum() + 10L * ((1 << 20) + 7)
                + 10L * (64 << 20) + 4_000_000;
        assertTrue(zeroCopy >= body * 9 / 10, "zero-copy " + zeroCopy + " of " + body + " body bytes (loop " + loop
                + "): " + doc.get("sites"));
    }

    /** Starts Helidon, runs every request, and returns what each response looked like (status, headers, body). */
    private Map<String, String> serve(Jdk jdk, String options, Path stats) throws Exception {
        Path conf = Files.createDirectories(work.resolve("conf-" + options.replace('=', '-')));
        Files.writeString(conf.resolve("application.properties"), String.join("\n",
                "server.port=0", "server.host=127.0.0.1",
                "server.features.static-content.path.0.context=/files",
                "server.features.static-content.path.0.location=" + www, ""));
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        if (stats != null) {
            cmd.add("-javaagent:" + AGENT + "=" + options + ",out=" + stats);
        }
        cmd.addAll(List.of("-cp", conf + ":" + CP, "io.helidon.Main"));
        Map<String, String> seen = new TreeMap<>();
        try (Forked server = Forked.start(cmd)) {
            String bound = awaitPort(server);
            int port = Integer.parseInt(bound);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (String name : FILES.keySet()) {
                seen.put(name, describe(client.send(get(port, name).build(), HttpResponse.BodyHandlers.ofByteArray()),
                        www.resolve(name)));
            }
            seen.put("range", describe(client.send(get(port, "f" + (64 << 20) + ".bin")
                    .header("Range", "bytes=1000-4000999").build(), HttpResponse.BodyHandlers.ofByteArray()), null));
            seen.put("head", describe(client.send(get(port, "f65537.bin").method("HEAD",
                    HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray()), null));
            abortMidBody(port);
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                List<Future<String>> all = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String name = i % 2 == 0 ? "f" + ((1 << 20) + 7) + ".bin" : "f" + (64 << 20) + ".bin";
                    all.add(pool.submit(() -> describe(client.send(get(port, name).build(),
                            HttpResponse.BodyHandlers.ofByteArray()), www.resolve(name))));
                }
                for (int i = 0; i < all.size(); i++) {
                    seen.put("concurrent-" + i, all.get(i).get(2, TimeUnit.MINUTES));
                }
            } finally {
                pool.shutdownNow();
            }
            for (String name : FILES.keySet()) { // once more: the server is fine after all that
                seen.put(name + "-again", describe(client.send(get(port, name).build(),
                        HttpResponse.BodyHandlers.ofByteArray()), www.resolve(name)));
            }
            server.process().destroy(); // SIGTERM: Helidon shuts down, the agent writes its statistics
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
        }
        return seen;
    }

    private static String awaitPort(Forked server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://[0-9.]+:(\\d+) bound")
                    .matcher(server.stderrSoFar());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Helidon did not start: " + server.stderrSoFar());
    }

    private static HttpRequest.Builder get(int port, String name) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files/" + name))
                .timeout(Duration.ofMinutes(1));
    }

    /** Status, headers but Date, and the body (checked against the file, or hashed). */
    private static String describe(HttpResponse<byte[]> r, Path file) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(r.headers().map());
        headers.remove("date");
        if (file != null) {
            assertArrayEquals(Files.readAllBytes(file), r.body(), file.toString());
        }
        return r.statusCode() + " " + headers + " " + r.body().length + " "
                + java.util.Arrays.hashCode(r.body());
    }

    /** A client that reads 100,000 bytes of the large file and closes. */
    private static void abortMidBody(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET /files/f" + (64 << 20) + ".bin HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
            InputStream in = s.getInputStream();
            in.readNBytes(100_000);
        }
    }
}
