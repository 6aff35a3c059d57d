package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * The JDK's HTTP server (com.sun.net.httpserver) under the real agent, JDK 17 and 25, off against rewrite, driven by
 * the JDK's HttpClient: user handlers with copy loops ({@code zc.corpus.JdkHttpApp}), a 206 range, chunked and
 * short (a file shorter than its Content-Length) responses, a client that gives up mid-body, and the JDK's own file
 * server, {@code SimpleFileServer}'s handler and {@code java -m jdk.httpserver} (JDK 18+): same status, headers
 * that matter and bytes; at least 90% of a 64 MiB body zero-copy.
 */
class JdkHttpServerIT {
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");
    private static final int BIG = 64 << 20;
    private static final int MID = (1 << 20) + 3;

    @TempDir
    static Path work;
    static Path www;

    @BeforeAll
    static void files() throws Exception {
        www = Files.createDirectories(work.resolve("www"));
        for (int size : List.of(BIG, MID, 10_000)) {
            byte[] b = new byte[size];
            new Random(size).nextBytes(b);
            Files.write(www.resolve(size + ".bin"), b);
        }
    }

    static Stream<Jdk> jdks() {
        return Jdk.withJdk21().stream();
    }

    static List<String> requests(int jdk) {
        List<String> r = new ArrayList<>();
        for (String kind : List.of("loop", "fis", "transferTo")) {
            for (int size : List.of(BIG, MID, 10_000)) {
                r.add("/" + kind + "/" + size + ".bin");
            }
        }
        r.add("/range/" + BIG + ".bin?1000&" + (BIG / 2));
        r.add("/range/" + MID + ".bin?" + (MID - 100) + "&100");
        r.add("/chunked/" + MID + ".bin");
        r.add("/short/" + MID + ".bin");
        if (jdk >= 18) {
            r.add("/files/" + BIG + ".bin");
            r.add("/files/" + MID + ".bin");
        }
        return r;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void handlersServeTheSameBytesMostlyBySendfile(Jdk jdk) throws Exception {
        List<String> requests = requests(jdk.major());
        Map<String, String> off = serve(jdk, "mode=off", requests);
        Path stats = work.resolve("stats-" + jdk.major());
        Map<String, String> rewrite = serve(jdk, "mode=rewrite,out=" + stats, requests);
        assertEquals(off, rewrite);
        assertTrue(off.get("/short/" + MID + ".bin").startsWith("failed"), off.toString());
        assertTrue(off.get("/loop/" + BIG + ".bin").startsWith("200|" + BIG), off.toString());
        assertTrue(off.get("after abort").startsWith("200|" + MID), off.toString());

        JsonNode doc = CorpusRuns.stats(stats);
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
        Map<String, JsonNode> sites = new LinkedHashMap<>();
        doc.get("sites").forEach(s -> sites.put(s.get("class").asText() + "." + s.get("method").asText()
                .split("\\(")[0], s));
        JsonNode loop = sites.get("zc.corpus.JdkHttpApp.copy");
        // 64 MiB and 1 MiB from Files.newInputStream and from a FileInputStream, three times over (the client that
        // gave up and the request after it included): all by sendfile into the connection's channel
        assertTrue(loop.get("via").get("jdkhttp-sendfile").asLong() >= 2L * (BIG + MID), loop.toString());
        assertTrue(loop.get("fallbacks").has("fewer bytes left than minBytes"), loop.toString());
        assertTrue(loop.get("fallbacks").has("JDK httpserver: chunked response (zc does not write chunk framing)"),
                loop.toString());
        JsonNode range = sites.get("zc.corpus.Ranges.bounded");
        // the 64 MiB file's range by sendfile; the 100 bytes at the end of the 1 MiB file are fewer than minBytes
        assertEquals(BIG / 2, range.get("via").get("jdkhttp-sendfile").asLong(), range.toString());
        assertEquals(100, range.get("bytes").get("loop").asLong(), range.toString());
        JsonNode transferTo = sites.get("zc.corpus.JdkHttpApp.transferTo");
        assertTrue(transferTo.get("via").get("jdkhttp-sendfile").asLong() >= BIG + MID, String.valueOf(transferTo));
        if (jdk.major() >= 21) {
            // the JDK's own file handler, hooked at the callee: at least 90% of the 64 MiB body zero-copy
            JsonNode callee = sites.get("sun.nio.ch.ChannelInputStream.transferTo");
            assertTrue(callee.get("via").get("jdkhttp-sendfile").asLong() >= BIG + MID, callee.toString());
        }
    }

    /** {@code java -m jdk.httpserver} (JDK 18+; the callee hook needs 20+): a 64 MiB file, >= 90% zero-copy. */
    @ParameterizedTest
    @MethodSource("jdks")
    void theJdkFileServerGoesZeroCopy(Jdk jdk) throws Exception {
        assumeTrue(jdk.major() >= 21, "java -m jdk.httpserver is JDK 18+, ChannelInputStream.transferTo JDK 20+");
        Path stats = work.resolve("stats-jwebserver-" + jdk.major());
        String offHash = null;
        for (String options : List.of("mode=off", "mode=rewrite,out=" + stats)) {
            try (Forked server = Forked.start(List.of(jdk.java().toString(), "-javaagent:" + CorpusRuns.AGENT + "="
                    + options, "-m", "jdk.httpserver", "-p", "0", "-b", "127.0.0.1", "-d", www.toString()))) {
                String line = server.awaitLine("Serving ", Duration.ofSeconds(60));
                int port = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                String got = fetch(port, "/" + BIG + ".bin");
                assertTrue(got.startsWith("200|" + BIG), got);
                if (offHash == null) {
                    offHash = got;
                } else {
                    assertEquals(offHash, got);
                }
                server.process().destroy(); // SIGTERM: the agent writes its statistics at exit
                assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
            }
        }
        JsonNode doc = CorpusRuns.stats(stats);
        JsonNode[] callee = new JsonNode[1];
        doc.get("sites").forEach(s -> {
            if (s.get("class").asText().equals("sun.nio.ch.ChannelInputStream")) {
                callee[0] = s;
            }
        });
        assertTrue(callee[0].get("via").get("jdkhttp-sendfile").asLong() >= BIG * 9L / 10, callee[0].toString());
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
    }

    /**
     * On virtual threads (JDK 21+) the connection's descriptor is non-blocking underneath and sendfile returns 0 on
     * a full socket: zc waits for it to drain as the channel's write does, so every byte of the body goes by
     * sendfile and is counted so, none as loop bytes without a reason. The client pauses after 1 MiB, so that the
     * socket fills (a 64 MiB body is far more than the socket buffers hold).
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void onVirtualThreadsAFullSocketIsWaitedForAndEveryByteGoesBySendfile(Jdk jdk) throws Exception {
        assumeTrue(jdk.major() >= 21, "virtual threads");
        Path stats = work.resolve("stats-virtual-" + jdk.major());
        byte[] expected = Files.readAllBytes(www.resolve(BIG + ".bin"));
        try (Forked app = Forked.start(List.of(jdk.java().toString(), "-javaagent:" + CorpusRuns.AGENT
                + "=out=" + stats, "-cp", CLASSES, "zc.corpus.JdkHttpApp", www.toString(), "virtual"))) {
            int port = Integer.parseInt(app.awaitLine("PORT ", Duration.ofSeconds(60)));
            for (int i = 0; i < 2; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.getOutputStream().write(("GET /loop/" + BIG + ".bin HTTP/1.1\r\nHost: x\r\nConnection: close"
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    byte[] first = in.readNBytes(1 << 20); // headers and the body's start
                    Thread.sleep(300); // the server's socket fills meanwhile
                    byte[] rest = in.readAllBytes();
                    byte[] all = java.util.Arrays.copyOf(first, first.length + rest.length);
                    System.arraycopy(rest, 0, all, first.length, rest.length);
                    assertTrue(all.length > BIG, "received " + all.length);
                    assertEquals(-1, java.util.Arrays.mismatch(expected, 0, BIG, all, all.length - BIG,
                            all.length), "the body");
                }
            }
            fetch(port, "/stop");
            Forked.Result done = app.await(Duration.ofSeconds(60));
            assertEquals(0, done.exitCode(), done.stderr());
        }
        JsonNode doc = CorpusRuns.stats(stats);
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
        JsonNode[] loop = new JsonNode[1];
        doc.get("sites").forEach(s -> {
            if (s.get("class").asText().equals("zc.corpus.JdkHttpApp") && s.get("method").asText().startsWith("copy")) {
                loop[0] = s;
            }
        });
        assertEquals(2L * BIG, loop[0].get("via").path("jdkhttp-sendfile").asLong(), loop[0].toString());
        assertEquals(2L * BIG, loop[0].get("bytes").get("sendfile").asLong(), loop[0].toString());
        assertEquals(0, loop[0].get("bytes").get("loop").asLong(), loop[0].toString());
        assertEquals(0, loop[0].get("fallbacks").size(), loop[0].toString());
    }

    /** Each request's outcome: status|length|sha-256 of the body|Content-Range, or "failed" and the exception. */
    private static Map<String, String> serve(Jdk jdk, String options, List<String> requests) throws Exception {
        Map<String, String> results = new LinkedHashMap<>();
        try (Forked app = Forked.start(List.of(jdk.java().toString(), "-javaagent:" + CorpusRuns.AGENT + "=" + options,
                "-cp", CLASSES, "zc.corpus.JdkHttpApp", www.toString()))) {
            int port = Integer.parseInt(app.awaitLine("PORT ", Duration.ofSeconds(60)));
            for (String r : requests) {
                results.put(r, fetch(port, r));
            }
            abort(port, "/loop/" + BIG + ".bin");
            results.put("after abort", fetch(port, "/loop/" + MID + ".bin"));
            fetch(port, "/stop");
            Forked.Result done = app.await(Duration.ofSeconds(60));
            assertEquals(0, done.exitCode(), done.stderr());
        }
        return results;
    }

    private static String fetch(int port, String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).build(), HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long length = 0;
            try (InputStream in = r.body()) {
                byte[] b = new byte[1 << 16];
                for (int k; (k = in.read(b)) != -1; length += k) {
                    md.update(b, 0, k);
                }
            }
            return r.statusCode() + "|" + length + "|" + HexFormat.of().formatHex(md.digest()) + "|"
                    + r.headers().firstValue("content-range").orElse("-");
        } catch (java.io.IOException e) {
            return "failed: " + e.getClass().getName();
        }
    }

    /** A client that reads the headers and a little of the body, then resets the connection. */
    private static void abort(int port, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            s.getInputStream().readNBytes(100_000);
            s.setSoLinger(true, 0);
        }
    }
}
