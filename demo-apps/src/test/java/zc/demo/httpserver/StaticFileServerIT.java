package zc.demo.httpserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/** The static-file server in a forked JVM, on every installed JDK, with concurrent clients. */
class StaticFileServerIT {
    private static final String JAR = System.getProperty("zc.demosJar", "target/zc-demos.jar");

    @TempDir
    Path root;

    static List<Jdk> jdks() {
        return Jdk.installed();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void servesEveryByteToConcurrentClients(Jdk jdk) throws Exception {
        Random random = new Random(42);
        List<String> names = List.of("empty.bin", "one.bin", "buffer.bin", "big.bin", "with space.bin");
        int[] sizes = {0, 1, 32 * 1024, 5 * 1024 * 1024 + 7, 100_000};
        for (int i = 0; i < names.size(); i++) {
            byte[] b = new byte[sizes[i]];
            random.nextBytes(b);
            Files.write(root.resolve(names.get(i)), b);
        }
        try (Forked server = Forked.start(List.of(jdk.java().toString(), "-cp", JAR,
                StaticFileServer.class.getName(), "--root", root.toString(), "--port", "0"))) {
            int port = Integer.parseInt(server.awaitLine("ZC-LISTENING ", Duration.ofSeconds(30)).strip());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> downloads = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    downloads.add(pool.submit(() -> {
                        for (String name : names) {
                            URI uri = URI.create("http://127.0.0.1:" + port + "/" + name.replace(" ", "%20"));
                            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            assertEquals(200, r.statusCode(), name);
                            assertArrayEquals(Files.readAllBytes(root.resolve(name)), r.body(), name);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : downloads) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/nope")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void keepsConnectionsAliveAndStaysInsideItsRoot(Jdk jdk) throws Exception {
        Files.writeString(root.resolve("a.txt"), "hello");
        try (Forked server = Forked.start(List.of(jdk.java().toString(), "-cp", JAR,
                StaticFileServer.class.getName(), "--root", root.toString(), "--port", "0"));
             Socket socket = connect(server)) {
            OutputStream out = socket.getOutputStream();
            out.write(("HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String all = new String(readAll(socket.getInputStream()), StandardCharsets.US_ASCII);
            String[] responses = all.split("(?=HTTP/1.1 )");
            assertEquals(3, responses.length, all);
            assertTrue(responses[0].startsWith("HTTP/1.1 200") && responses[0].contains("Content-Length: 5")
                    && responses[0].endsWith("\r\n\r\n"), "HEAD has no body: " + responses[0]);
            assertTrue(responses[1].startsWith("HTTP/1.1 200") && responses[1].endsWith("\r\n\r\nhello"));
            assertTrue(responses[2].startsWith("HTTP/1.1 404"), responses[2]);
        }
    }

    /**
     * Each body on a virtual thread per connection (JDK 21+), to a client that waits before it reads, so the
     * server's socket buffer is full and the send must wait for it: every byte arrives (transferTo into a socket a
     * virtual thread made non-blocking returns 0 when the buffer is full, and splice fails with EAGAIN: the body must
     * wait that out).
     */
    @ParameterizedTest
    @MethodSource("virtualThreadJdks")
    void bodiesOnVirtualThreadsWaitForAFullSocket(Jdk jdk) throws Exception {
        byte[] content = new byte[(8 << 20) + 5];
        new Random(7).nextBytes(content);
        Files.write(root.resolve("big.bin"), content);
        for (String body : List.of("read-write", "transfer-to", "mmap-write", "splice")) {
            try (Forked server = Forked.start(List.of(jdk.java().toString(),
                    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", JAR,
                    StaticFileServer.class.getName(), "--root", root.toString(), "--port", "0", "--threads",
                    "virtual", "--body", body));
                 Socket socket = new Socket()) {
                int port = Integer.parseInt(server.awaitLine("ZC-LISTENING ", Duration.ofSeconds(30)).strip());
                socket.setReceiveBufferSize(32 * 1024);
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(500); // the server fills its socket buffer and ours, then must wait
                String all = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);
                int head = all.indexOf("\r\n\r\n") + 4;
                assertTrue(all.startsWith("HTTP/1.1 200"), body + ": " + all.substring(0, Math.min(80, all.length())));
                assertArrayEquals(content, all.substring(head).getBytes(StandardCharsets.ISO_8859_1), body);
            }
        }
    }

    static List<Jdk> virtualThreadJdks() {
        return Jdk.installed().stream().filter(j -> j.major() >= 21).toList();
    }

    private static Socket connect(Forked server) throws Exception {
        int port = Integer.parseInt(server.awaitLine("ZC-LISTENING ", Duration.ofSeconds(30)).strip());
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        return s;
    }

    private static byte[] readAll(InputStream in) throws Exception {
        return in.readAllBytes();
    }
}
