package zc.containers.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zc.containers.RawHttp;
import zc.containers.TestFiles;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * Tomcat 10.1 and 11 from Maven Central (embedded, NIO and NIO2 connectors) on JDK 17 and 25, serving a servlet's
 * copy loop: once without zc (mode=off), once with it. Every answer must be the same byte for byte (headers but
 * Date, chunk framing, bodies): sizes around Tomcat's 8 KiB buffer and zc's 64 KiB minBytes, 64 MiB, Content-Length
 * and chunked, HEAD, bytes written after the file, all on one kept-alive connection; gzip, TLS and h2c; 20
 * concurrent clients; and the same access-log lines (%b) and exceptions thrown into the servlet for a client that
 * resets mid-body. A file truncated during its transfer ends as a prefix of the file, and the server goes on. With
 * zc on NIO, the statistics show the bytes by tomcat-sendfile; NIO2 is declined with its reason.
 */
class TomcatIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final String LAUNCHERS = System.getProperty("zc.launchers", "target/test-classes");
    private static final String CONTAINERS = System.getProperty("zc.containers", "target/containers");
    private static final int MIB = 1 << 20;
    /** Tomcat's response buffer (8 KiB) and zc's minBytes (64 KiB), each -1, +0, +1. */
    private static final int[] SIZES = {0, 1, 8191, 8192, 8193, 65535, 65536, 65537};
    private static final String LOOP_SITE = "zc.containers.tomcat.TomcatApp$LoopServlet";

    @TempDir
    static Path work;
    static Path root;
    static Path keystore;

    @BeforeAll
    static void files() throws Exception {
        root = Files.createDirectories(work.resolve("www"));
        Random random = new Random(11);
        for (int size : SIZES) {
            TestFiles.write(root.resolve("s" + size), size, random);
        }
        TestFiles.write(root.resolve("one.bin"), MIB + 7, random);
        TestFiles.write(root.resolve("four.bin"), 4 * MIB, random);
        TestFiles.write(root.resolve("big.bin"), 64 * MIB, random);
        keystore = work.resolve("ks.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of(keytool, "-genkeypair", "-alias", "zc",
                "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-storetype",
                "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"));
        assertEquals(0, r.exitCode(), r.stderr());
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.installed()) {
            for (String version : List.of("10.1", "11")) {
                for (String connector : List.of("nio", "nio2")) {
                    cases.add(Arguments.of(jdk, version, connector));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "Tomcat {1} {2} on {0}")
    @MethodSource("cases")
    void everyAnswerIsAsWithoutZc(Jdk jdk, String version, String connector) throws Exception {
        Path jars = Path.of(CONTAINERS, "tomcat-" + version);
        assumeTrue(Files.isDirectory(jars), "Tomcat jars copied by the pom into " + jars);
        Run off = run(jdk, jars, connector, "off");
        Run zc = run(jdk, jars, connector, "rewrite");
        assertEquals(off.answers.keySet(), zc.answers.keySet());
        for (String label : off.answers.keySet()) {
            assertEquals(off.answers.get(label), zc.answers.get(label), label);
        }
        assertEquals(off.accessLog, zc.accessLog, "access log lines (%r %s %b)");
        assertEquals(off.thrown, zc.thrown, "exceptions thrown into the servlet, bytes the filter's stream counted");
        assertTrue(zc.thrown.contains("METERED " + 4 * MIB), zc.thrown.toString());
        assertTrue(zc.thrown.contains("THROWN /loop/big.bin org.apache.catalina.connector.ClientAbortException"),
                zc.thrown.toString());

        JsonNode site = site(zc.stats, "copy");
        assertEquals(0, zc.stats.get("errors").size(), zc.stats.get("errors").toString());
        long viaTomcat = site.get("via").path("tomcat-sendfile").asLong();
        if (connector.equals("nio")) {
            // big.bin three times (plain, after=1, behind a filter's HttpServletResponseWrapper that leaves the
            // stream Tomcat's), four.bin 20 times, s65536/s65537 and one.bin (each less the first 16 KiB the loop
            // writes while Tomcat commits), some of the aborted and truncated transfers (less than 64 MiB together)
            long atLeast = 3L * 64 * MIB + 20L * 4 * MIB;
            assertTrue(viaTomcat >= atLeast, "tomcat-sendfile " + viaTomcat + " < " + atLeast + ": " + site);
            assertTrue(site.get("fallbacks").has("HEAD request: Tomcat discards the body")
                    || site.get("fallbacks").toString().contains("NoBody"), site.toString());
            assertTrue(site.get("fallbacks").toString().contains("chunked response"), site.toString());
            assertTrue(site.get("fallbacks").toString().contains("Tomcat TLS connection"), site.toString());
            assertTrue(site.get("fallbacks").has("Tomcat compresses this response (gzip)"), site.toString());
            assertTrue(site.get("fallbacks").has("sink is zc.containers.tomcat.WrapFilter$MeteringStream, not a file, "
                    + "plain socket or supported container stream"), site.toString());
            assertTrue(site.get("fallbacks").toString().contains("not HTTP/1.1 (HTTP/2 frames the bytes)"),
                    site.toString());
        } else {
            assertEquals(0, viaTomcat, site.toString());
            assertTrue(site.get("fallbacks").has("Tomcat NIO2 connector: its blocking write copies every buffer with "
                    + "Java code into its 8 KiB socket buffer (SocketWrapperBase.writeBlocking), a mapped window "
                    + "too, and its AsynchronousSocketChannel is written only by Tomcat"), site.toString());
        }
    }

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    /**
     * What mode=observe counts as bytes a rewrite would move is what the rewrite moves: a chunked response and a
     * HEAD request, which the Tomcat sink declines once Tomcat has committed the response (its output filters), are
     * counted in both modes under the same reasons with all their bytes (fallbackBytes), and only the response with
     * a Content-Length is one a rewrite takes (wouldMove in observe mode, tomcat-sendfile in rewrite mode).
     */
    @ParameterizedTest(name = "Tomcat 10.1 on {0}")
    @MethodSource("jdks")
    void observeCountsOnlyWhatTheRewriteMovesAndDeclinesCountTheirBytes(Jdk jdk) throws Exception {
        Path jars = Path.of(CONTAINERS, "tomcat-10.1");
        assumeTrue(Files.isDirectory(jars), "Tomcat jars copied by the pom into " + jars);
        long big = 64L * MIB;
        Map<String, JsonNode> sites = new LinkedHashMap<>();
        for (String mode : List.of("observe", "rewrite")) {
            Path out = Files.createDirectories(work.resolve("counts-" + jdk + "-" + mode));
            Path logs = Files.createDirectories(work.resolve("counts-logs-" + jdk + "-" + mode));
            Forked app = Forked.start(List.of(jdk.java().toString(), "-Xmx256m",
                    "-javaagent:" + AGENT + "=mode=" + mode + ",out=" + out,
                    "-cp", LAUNCHERS + java.io.File.pathSeparator + jars + "/*",
                    TomcatApp.class.getName(), root.toString(), "nio", logs.toString(), keystore.toString()));
            try {
                int port = Integer.parseInt(app.awaitLine("PORTS ", Duration.ofSeconds(60)).trim().split(" ")[0]);
                try (RawHttp http = new RawHttp(new Socket("127.0.0.1", port))) {
                    body(http.exchange("GET", "/loop/big.bin?cl=0"), "big.bin");
                    http.exchange("HEAD", "/loop/big.bin");
                    body(http.exchange("GET", "/loop/big.bin"), "big.bin");
                }
            } finally {
                app.process().destroy();
                if (!app.process().waitFor(30, TimeUnit.SECONDS)) {
                    app.close();
                }
            }
            Path stats = out.resolve("zc-agent-" + app.process().pid() + ".json");
            assertTrue(Files.isRegularFile(stats), "no statistics for mode=" + mode);
            JsonNode doc = new ObjectMapper().readTree(stats.toFile());
            assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
            sites.put(mode, site(doc, "copy"));
        }
        JsonNode observe = sites.get("observe");
        JsonNode rewrite = sites.get("rewrite");
        assertEquals(observe.get("fallbacks"), rewrite.get("fallbacks"), "the same declines: " + sites);
        for (JsonNode site : sites.values()) {
            assertEquals(3, site.get("calls").asLong(), site.toString());
            assertEquals(2, site.get("fallbacks").size(), site.toString());
            site.get("fallbacks").fields().forEachRemaining(f -> assertEquals(1, f.getValue().asLong(), f.getKey()));
            assertTrue(site.get("fallbacks").toString().contains("chunked response"), site.toString());
            assertTrue(site.get("fallbacks").toString().contains("HEAD request: Tomcat discards the body")
                    || site.get("fallbacks").toString().contains("NoBody"), site.toString());
            site.get("fallbackBytes").fields().forEachRemaining(f -> assertEquals(big, f.getValue().asLong(),
                    f.getKey() + ": every byte of the declined call"));
            assertEquals(2, site.get("fallbackBytes").size(), site.toString());
        }
        assertEquals("tomcat-sendfile", observe.get("wouldMove").get("path").asText(), observe.toString());
        assertEquals(1, observe.get("wouldMove").get("calls").asLong(), observe.toString());
        assertEquals(big, observe.get("wouldMove").get("bytes").asLong(), observe.toString());
        assertEquals(3 * big, observe.get("bytes").get("loop").asLong(), observe.toString());
        // the loop's first chunks until Tomcat commits the response (16 KiB), then sendfile
        long sent = rewrite.get("via").get("tomcat-sendfile").asLong();
        assertTrue(sent > big - (64 << 10) && sent <= big, rewrite.toString());
        assertEquals(3 * big, rewrite.get("bytes").get("loop").asLong() + sent, rewrite.toString());
    }

    record Run(Map<String, String> answers, List<String> accessLog, List<String> thrown, JsonNode stats) {
    }

    private Run run(Jdk jdk, Path jars, String connector, String mode) throws Exception {
        String name = jars.getFileName() + "-" + connector + "-" + jdk + "-" + mode;
        Path logs = Files.createDirectories(work.resolve("logs-" + name));
        Path out = Files.createDirectories(work.resolve("stats-" + name));
        Forked app = Forked.start(List.of(jdk.java().toString(), "-Xmx256m",
                "-javaagent:" + AGENT + "=mode=" + mode + ",out=" + out,
                "-cp", LAUNCHERS + java.io.File.pathSeparator + jars + "/*",
                TomcatApp.class.getName(), root.toString(), connector, logs.toString(), keystore.toString()));
        Map<String, String> answers = new LinkedHashMap<>();
        try {
            String[] ports = app.awaitLine("PORTS ", Duration.ofSeconds(60)).trim().split(" ");
            int plain = Integer.parseInt(ports[0]);
            keptAlive(plain, answers);
            gzip(Integer.parseInt(ports[1]), answers);
            tls(Integer.parseInt(ports[2]), answers);
            h2c(plain, answers);
            abort(plain);
            concurrent(plain, answers);
            truncated(plain, answers);
            answers.put("after all that", keptAliveOne(plain, "/loop/one.bin"));
        } finally {
            app.process().destroy();
            if (!app.process().waitFor(30, TimeUnit.SECONDS)) {
                app.close();
            }
        }
        Forked.Result result = app.await(Duration.ofSeconds(10));
        List<String> thrown = result.stdout().lines().filter(l -> l.startsWith("THROWN ") || l.startsWith("METERED "))
                .sorted().toList();
        List<String> log = Files.readAllLines(logs.resolve("access.log")).stream()
                .filter(l -> !l.contains("abort=1") && !l.contains("trunc.bin")).sorted().toList();
        if (mode.equals("off")) {
            return new Run(answers, log, thrown, null); // mode=off installs nothing, and writes no statistics
        }
        Path stats = out.resolve("zc-agent-" + app.process().pid() + ".json");
        assertTrue(Files.isRegularFile(stats), "no statistics; stderr: " + result.stderr());
        return new Run(answers, log, thrown, new ObjectMapper().readTree(stats.toFile()));
    }

    /** Every size, with and without Content-Length, HEAD, and bytes after the file, on one connection. */
    private static void keptAlive(int port, Map<String, String> answers) throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", port))) {
            for (int size : SIZES) {
                answers.put("GET s" + size, body(http.exchange("GET", "/loop/s" + size), "s" + size));
                answers.put("GET s" + size + " chunked", body(http.exchange("GET", "/loop/s" + size + "?cl=0"),
                        "s" + size));
            }
            answers.put("HEAD big", http.exchange("HEAD", "/loop/big.bin").toString());
            answers.put("GET big", body(http.exchange("GET", "/loop/big.bin"), "big.bin"));
            answers.put("GET big after", http.exchange("GET", "/loop/big.bin?after=1").toString());
            answers.put("GET one chunked after", http.exchange("GET", "/loop/one.bin?cl=0&after=1").toString());
            answers.put("GET static one", body(http.exchange("GET", "/static/one.bin"), "one.bin"));
            answers.put("GET big, a filter's plain wrapper", body(http.exchange("GET", "/loop/big.bin?wrap=plain"),
                    "big.bin"));
            answers.put("GET four, a filter's own stream", body(http.exchange("GET", "/loop/four.bin?wrap=own"),
                    "four.bin"));
        }
    }

    private static String keptAliveOne(int port, String path) throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", port))) {
            return http.exchange("GET", path).toString();
        }
    }

    /** The answer, after checking that its body is the file's. */
    private static String body(RawHttp.Answer a, String file) throws IOException {
        var d = RawHttp.sha();
        d.update(Files.readAllBytes(root.resolve(file)));
        assertEquals(RawHttp.hex(d), a.bodyDigest(), file + ": " + a.head());
        return a.toString();
    }

    private static void gzip(int port, Map<String, String> answers) throws Exception {
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", port))) {
            for (String f : List.of("s65537", "one.bin")) {
                answers.put("gzip " + f, http.exchange("GET", "/loop/" + f, "Accept-Encoding: gzip").toString());
            }
        }
    }

    private static void tls(int port, Map<String, String> answers) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port);
        try (RawHttp http = new RawHttp(socket)) {
            answers.put("tls one", body(http.exchange("GET", "/loop/one.bin"), "one.bin"));
            answers.put("tls big", body(http.exchange("GET", "/loop/big.bin"), "big.bin"));
        }
    }

    /** HTTP/2 over cleartext, by curl's upgrade from HTTP/1.1: Tomcat's Http2Protocol serves the stream. */
    private static void h2c(int port, Map<String, String> answers) throws Exception {
        Path body = work.resolve("h2c-" + port);
        Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of("curl", "-sS", "--http2", "-D", "-", "-o",
                body.toString(), "http://127.0.0.1:" + port + "/loop/one.bin"));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("HTTP/2 200"), r.stdout());
        assertEquals(-1, Files.mismatch(root.resolve("one.bin"), body), "h2c body");
        answers.put("h2c one", r.stdout().lines().filter(l -> !l.toLowerCase().startsWith("date:")).toList()
                .toString());
    }

    /** A client that resets the connection after 1 MiB of big.bin; the server must go on serving. */
    private static void abort(int port) throws Exception {
        RawHttp http = new RawHttp(new Socket("127.0.0.1", port));
        http.send("GET", "/loop/big.bin?abort=1");
        http.head();
        http.in().readNBytes(MIB);
        http.socket().setSoLinger(true, 0);
        http.close();
        Thread.sleep(500);
    }

    private static void concurrent(int port, Map<String, String> answers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<String>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(pool.submit(() -> {
                    try (RawHttp http = new RawHttp(new Socket("127.0.0.1", port))) {
                        return body(http.exchange("GET", "/loop/four.bin"), "four.bin");
                    }
                }));
            }
            for (Future<String> f : all) {
                assertEquals(all.get(0).get(), f.get(2, TimeUnit.MINUTES));
            }
            answers.put("20 clients four", all.get(0).get());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * big.bin copied, its copy truncated to 8 MiB after the client has 1 MiB of it: what arrives is a prefix of the
     * file of at least 8 MiB and not all of it, the response stays short of its Content-Length.
     */
    private static void truncated(int port, Map<String, String> answers) throws Exception {
        Path file = root.resolve("trunc.bin");
        Files.copy(root.resolve("big.bin"), file, StandardCopyOption.REPLACE_EXISTING);
        byte[] original = Files.readAllBytes(root.resolve("big.bin"));
        try (RawHttp http = new RawHttp(new Socket("127.0.0.1", port))) {
            http.send("GET", "/loop/trunc.bin");
            String head = http.head();
            byte[] got = new byte[original.length];
            int have = http.in().readNBytes(got, 0, MIB);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(8 * MIB);
            }
            http.socket().setSoTimeout(3000);
            InputStream in = http.in();
            try {
                for (int k; have < got.length && (k = in.read(got, have, got.length - have)) > 0; ) {
                    have += k;
                }
            } catch (SocketTimeoutException e) {
                // the response stays short of its Content-Length: Tomcat waits for the next request
            }
            assertTrue(have >= 8 * MIB && have < original.length, "received " + have);
            assertEquals(-1, java.util.Arrays.mismatch(original, 0, have, got, 0, have), "a prefix of the file");
            answers.put("truncated", head);
        }
    }

    private static JsonNode site(JsonNode stats, String method) {
        for (JsonNode s : stats.get("sites")) {
            if (s.get("class").asText().equals(LOOP_SITE) && s.get("method").asText().startsWith(method)) {
                return s;
            }
        }
        throw new AssertionError("no site " + LOOP_SITE + "." + method + " in " + stats.get("sites"));
    }

    /** The test's own self-signed certificate: any is accepted. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
