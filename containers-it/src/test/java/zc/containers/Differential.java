package zc.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * Off vs rewrite, one container on one JDK: two servers run side by side, one with {@code mode=off}, one with zc
 * rewriting; every case goes to both and the answers must be equal, byte for byte (headers but Date too), and equal
 * to the file. Cases: bodies of 0, 1, buffer-1, buffer, buffer+1, minBytes-1, minBytes+1, 4 MiB and 64 MiB, with
 * Content-Length and chunked, on one kept-alive connection; HEAD; more bytes written after the file;
 * {@code transferTo}; gzip; TLS; h2c where the container has it; 20 concurrent clients; a client that resets the
 * connection mid-body (the servlet must see the same exception class, the server must go on serving); the file
 * truncated during the transfer (no SIGBUS, the server goes on). The access logs of the compared cases must be
 * equal too. Returns the rewriting server's statistics for the container's own checks.
 */
public final class Differential {
    /**
     * h2c by curl's HTTP/1.1 Upgrade. The upgrading request fetches a 1-byte file: curl 7.88 (Debian 12) fails an
     * upgraded response followed by more than its 32 KiB buffer of HTTP/2 frames ("connection buffer size is too small
     * to store data following HTTP Upgrade response header"), which a 64 MiB body may be; the large bodies come next
     * on the upgraded connection.
     */
    private static final String H2C = "--http2";

    public static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    public static final String LAUNCHERS = System.getProperty("zc.launchers", "target/test-classes");
    static final int MIN_BYTES = 65536;
    public static final int BIG = 64 << 20;
    static final int MEDIUM = (4 << 20) + 3;
    static final byte[] MORE = "written after the file\n".getBytes(StandardCharsets.US_ASCII);

    private final Jdk jdk;
    private final Container container;
    private final Path work;
    private final Path root;
    private final Path keystore;

    public Differential(Jdk jdk, Container container, Path work) throws Exception {
        this.jdk = jdk;
        this.container = container;
        this.work = Files.createDirectories(work.resolve(container.name() + "-" + jdk));
        this.root = Files.createDirectories(work.resolve("www"));
        this.keystore = keystore(work);
    }

    /** Runs every case on both servers; returns the statistics of the rewriting one and its stderr. */
    public Outcome run() throws Exception {
        int b = container.bufferSize();
        List<Integer> sizes = List.of(0, 1, b - 1, b, b + 1, MIN_BYTES - 1, MIN_BYTES + 1, MEDIUM, BIG);
        for (int size : sizes) {
            file("f" + size + ".bin", size);
        }
        Server off = Server.launch(jdk, container, "mode=off", root, work.resolve("off"), keystore);
        Server zc = null;
        try {
            zc = Server.launch(jdk, container, "out=" + work.resolve("stats"), root, work.resolve("zc"), keystore);
            List<Transfer> plain = new ArrayList<>();
            for (int size : sizes) {
                for (String cl : List.of("1", "0")) {
                    plain.add(new Transfer("plain-" + size + "-cl" + cl, "/files/f" + size + ".bin?cl=" + cl,
                            List.of(), size, false));
                }
            }
            for (String cl : List.of("1", "0")) {
                plain.add(new Transfer("head-cl" + cl, "/files/f" + BIG + ".bin?cl=" + cl, List.of("-I"), -1,
                        false));
                plain.add(new Transfer("more-cl" + cl, "/files/f" + BIG + ".bin?more=1&cl=" + cl, List.of(), BIG,
                        true));
                plain.add(new Transfer("transferTo-cl" + cl, "/files/f" + MEDIUM + ".bin?copy=transferTo&cl=" + cl,
                        List.of(), MEDIUM, false));
            }
            if (container.alsoAt() != null) {
                for (String cl : List.of("1", "0")) {
                    plain.add(new Transfer("also-cl" + cl, container.alsoAt() + "/f" + BIG + ".bin?cl=" + cl,
                            List.of(), BIG, false));
                }
            }
            compare(off, zc, plain, "http", false);
            compare(off, zc, List.of(
                    new Transfer("gzip-cl0", "/gz/files/f" + MEDIUM + ".bin?cl=0", List.of("--compressed"), MEDIUM,
                            false),
                    new Transfer("gzip-cl1", "/gz/files/f" + MEDIUM + ".bin?cl=1", List.of("--compressed"), MEDIUM,
                            false)), "http", false);
            compare(off, zc, List.of(
                    new Transfer("tls-cl1", "/files/f" + BIG + ".bin?cl=1", List.of("-k"), BIG, false),
                    new Transfer("tls-cl0", "/files/f" + MEDIUM + ".bin?cl=0", List.of("-k"), MEDIUM, false)),
                    "https", true);
            if (container.h2c()) {
                compare(off, zc, List.of(
                        new Transfer("h2c-upgrade", "/files/f1.bin?cl=1", List.of(H2C), 1, false),
                        new Transfer("h2c-big", "/files/f" + BIG + ".bin?cl=1", List.of(H2C), BIG, false),
                        new Transfer("h2c-medium", "/files/f" + MEDIUM + ".bin?cl=0", List.of(H2C), MEDIUM,
                                false)), "http", false);
            }
            assertEquals(accessLog(off), accessLog(zc), "access logs of the compared requests");
            for (Server s : List.of(off, zc)) {
                concurrently(s, 20);
                abort(s);
                truncate(s);
                concurrently(s, 2); // still serving
            }
        } finally {
            off.stop();
            if (zc != null) {
                zc.stop();
            }
        }
        String offOut = off.stdout();
        String zcOut = zc.stdout();
        assertTrue(failures(offOut).contains("COPY FAILED"), "the aborted client: " + offOut);
        // a file cut below what sendfile already sent fails loudly with zc (docs/agent.md, Known differences)
        assertEquals(failures(offOut), failures(zcOut).replace("\nCOPY FAILED zc.agent.rt.ZcCopy$SourceShrank", ""),
                "what the servlet saw of the aborted client");
        for (Server s : List.of(off, zc)) {
            String err = s.app.stderrSoFar();
            assertFalse(err.contains("InternalError") || err.contains("unsafe memory access")
                    || err.contains("SIGBUS"), container.name() + ": " + err);
        }
        Path stats = work.resolve("stats").resolve("zc-agent-" + zc.app.process().pid() + ".json");
        assertTrue(Files.isRegularFile(stats), "no statistics; stderr: " + zc.app.stderrSoFar());
        return new Outcome(new ObjectMapper().readTree(stats.toFile()), zc.app.stderrSoFar());
    }

    /**
     * Only the aborted download ({@link #abort}), on a rewriting server alone: its statistics count what went
     * before the reset, apart from every other case's bytes.
     */
    public Outcome aborted() throws Exception {
        return alone("aborted", this::abort);
    }

    /**
     * Only HEAD requests for the 64 MiB file, with and without Content-Length, on a rewriting server alone: no body
     * goes on the wire, so its statistics must count no bytes as moved zero-copy.
     */
    public Outcome head() throws Exception {
        return alone("head", s -> {
            String url = "http://127.0.0.1:" + s.port + "/files/f" + BIG + ".bin?case=head&cl=";
            Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of("curl", "-sS", "--http1.1", "-I", url + "1",
                    "--next", "-sS", "--http1.1", "-I", url + "0"));
            assertEquals(0, r.exitCode(), container.name() + " curl -I: " + r.stderr());
        });
    }

    /**
     * A chunked response (no Content-Length) of the 64 MiB file, its file cut to 1 MiB once the client has read
     * 1 MiB, on a server without zc and on one with it. Returns, for each ("off", "zc"), whether the body ended with
     * the last chunk ({@code 0 CRLF CRLF}) before the server closed the connection, and how many bytes came.
     */
    public Map<String, String> cutChunked() throws Exception {
        file("f" + BIG + ".bin", BIG);
        Map<String, String> ends = new LinkedHashMap<>();
        for (String options : List.of("mode=off", "out=" + work.resolve("cut"))) {
            String label = options.equals("mode=off") ? "off" : "zc";
            Server s = Server.launch(jdk, container, options, root, work.resolve("cut-" + label), keystore);
            try {
                Path file = root.resolve("cut-" + label + "-" + jdk + ".bin");
                Files.copy(root.resolve("f" + BIG + ".bin"), file, StandardCopyOption.REPLACE_EXISTING);
                byte[] got;
                try (Socket socket = new Socket("127.0.0.1", s.port)) {
                    socket.setReceiveBufferSize(64 << 10);
                    socket.setSoTimeout(60_000);
                    // kept alive, as curl asks: with Connection: close Jetty would delimit the body by the close
                    socket.getOutputStream().write(("GET /files/" + file.getFileName() + "?cl=0&case=cut HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    InputStream in = socket.getInputStream();
                    byte[] head = readAtLeast(in, 1 << 20);
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(1 << 20);
                    }
                    got = concat(head, readToLastChunk(in));
                }
                ends.put(label, (lastChunk(got) ? "last chunk" : "no last chunk") + (got.length < BIG ? ", short"
                        : ", whole"));
                Files.delete(file);
            } finally {
                s.stop();
            }
        }
        return ends;
    }

    private static boolean lastChunk(byte[] got) {
        return got.length >= 7 && new String(got, got.length - 7, 7, StandardCharsets.ISO_8859_1)
                .equals("\r\n0\r\n\r\n");
    }

    /** Reads until a chunked body's last chunk (the connection stays open after it) or the end of the stream. */
    private static byte[] readToLastChunk(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        try {
            for (int k; !lastChunk(all.toByteArray()) && (k = in.read(buf)) >= 0; ) {
                all.write(buf, 0, k);
            }
        } catch (java.net.SocketException e) {
            // closed by a reset: the end
        }
        return all.toByteArray();
    }

    private interface Case {
        void run(Server s) throws Exception;
    }

    /** One case on a rewriting server of its own; its statistics and stderr. */
    private Outcome alone(String name, Case c) throws Exception {
        file("f" + BIG + ".bin", BIG);
        Server zc = Server.launch(jdk, container, "out=" + work.resolve(name), root, work.resolve(name + "-zc"),
                keystore);
        try {
            c.run(zc);
        } finally {
            zc.stop();
        }
        Path stats = work.resolve(name).resolve("zc-agent-" + zc.app.process().pid() + ".json");
        assertTrue(Files.isRegularFile(stats), "no statistics; stderr: " + zc.app.stderrSoFar());
        return new Outcome(new ObjectMapper().readTree(stats.toFile()), zc.app.stderrSoFar());
    }

    /** The statistics of the rewriting server and what it wrote on stderr. */
    public record Outcome(JsonNode stats, String stderr) {
        /** The site of the servlet's copy loop (or transferTo call) in {@code className}. */
        public List<JsonNode> sites(String className) {
            List<JsonNode> found = new ArrayList<>();
            stats.get("sites").forEach(s -> {
                if (s.get("class").asText().equals(className)) {
                    found.add(s);
                }
            });
            return found;
        }

        /** Bytes by {@code via} summed over the sites of {@code className}. */
        public long via(String className, String via) {
            return sites(className).stream().mapToLong(s -> s.path("via").path(via).asLong()).sum();
        }

        /** Bytes by {@code path} (sendfile, mmap, direct, loop) summed over the sites of {@code className}. */
        public long bytes(String className, String path) {
            return sites(className).stream().mapToLong(s -> s.path("bytes").path(path).asLong()).sum();
        }

        /** Fallback reasons (and their counts) over the sites of {@code className}. */
        public Map<String, Long> fallbacks(String className) {
            Map<String, Long> all = new LinkedHashMap<>();
            sites(className).forEach(s -> s.path("fallbacks").fields()
                    .forEachRemaining(e -> all.merge(e.getKey(), e.getValue().asLong(), Long::sum)));
            return all;
        }
    }

    private static String failures(String stdout) {
        return String.join("\n", stdout.lines().filter(l -> l.startsWith("COPY FAILED")).distinct().sorted()
                .toList());
    }

    /** One request: a name, a path, extra curl options, the file size (-1: no body) and whether MORE follows. */
    record Transfer(String label, String path, List<String> options, int size, boolean more) {
    }

    private void compare(Server off, Server zc, List<Transfer> transfers, String scheme, boolean tls)
            throws Exception {
        for (Server s : List.of(off, zc)) {
            List<String> cmd = new ArrayList<>(List.of("curl"));
            for (Transfer t : transfers) {
                if (cmd.size() > 1) {
                    cmd.add("--next");
                }
                cmd.addAll(List.of("-sS", "--http1.1", "--max-time", "120", "-D", s.dir.resolve(t.label + ".h")
                        .toString(), "-o", s.dir.resolve(t.label + ".b").toString()));
                if (t.options.contains(H2C)) {
                    cmd.remove(cmd.lastIndexOf("--http1.1"));
                }
                cmd.addAll(t.options);
                String sep = t.path.contains("?") ? "&" : "?";
                cmd.add(scheme + "://127.0.0.1:" + (tls ? s.tlsPort : s.port) + t.path + sep + "case=" + t.label);
            }
            Forked.Result r = Forked.run(Duration.ofMinutes(3), cmd);
            assertEquals(0, r.exitCode(), container.name() + " curl: " + r.stderr());
        }
        for (Transfer t : transfers) {
            String what = container.name() + " on " + jdk + ", " + t.label;
            assertEquals(headers(off.dir.resolve(t.label + ".h")), headers(zc.dir.resolve(t.label + ".h")),
                    what + ": headers");
            if (t.options.contains("-I")) {
                continue; // HEAD: curl wrote the head (with its Date) where the body goes, and nothing else
            }
            byte[] body = Files.readAllBytes(zc.dir.resolve(t.label + ".b"));
            assertEquals(-1, Files.mismatch(off.dir.resolve(t.label + ".b"), zc.dir.resolve(t.label + ".b")),
                    what + ": bodies differ");
            if (t.size >= 0) {
                byte[] expected = Files.readAllBytes(root.resolve("f" + t.size + ".bin"));
                if (t.more) {
                    expected = concat(expected, MORE);
                }
                assertTrue(Arrays.equals(expected, body), what + ": body is not the file (" + body.length + ")");
            }
        }
    }

    private static List<String> headers(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.regionMatches(true, 0, "date:", 0, 5)).toList();
    }

    private List<String> accessLog(Server s) throws IOException {
        return Files.readAllLines(s.log).stream().filter(l -> l.contains("case=")).sorted().toList();
    }

    /** {@code clients} at once, each a 4 MiB download on its own connection, every byte checked. */
    private void concurrently(Server s, int clients) throws Exception {
        byte[] expected = Files.readAllBytes(root.resolve("f" + MEDIUM + ".bin"));
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<byte[]>> got = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String cl = i % 2 == 0 ? "1" : "0";
                got.add(pool.submit(() -> {
                    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port + "/files/f"
                            + MEDIUM + ".bin?cl=" + cl)).timeout(Duration.ofMinutes(1)).build();
                    return client.send(req, HttpResponse.BodyHandlers.ofByteArray()).body();
                }));
            }
            for (Future<byte[]> f : got) {
                assertTrue(Arrays.equals(expected, f.get(2, TimeUnit.MINUTES)), container.name() + ": concurrent");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A client that reads 256 KiB of the 64 MiB body and resets the connection (SO_LINGER 0). */
    private void abort(Server s) throws Exception {
        try (Socket socket = request(s, "/files/f" + BIG + ".bin?cl=1&case=abort")) {
            readAtLeast(socket.getInputStream(), 256 << 10);
            socket.setSoLinger(true, 0);
        }
        Thread.sleep(500);
    }

    /**
     * A 64 MiB file truncated to 3 MiB while the client has read only its first MiB: the server must not fault
     * (no SIGBUS turned InternalError), the client gets the file's first bytes, then the connection ends.
     */
    private void truncate(Server s) throws Exception {
        Path file = root.resolve("trunc-" + s.dir.getFileName() + ".bin");
        Files.copy(root.resolve("f" + BIG + ".bin"), file);
        byte[] original = Files.readAllBytes(root.resolve("f" + BIG + ".bin"));
        byte[] got;
        try (Socket socket = request(s, "/files/" + file.getFileName() + "?cl=1&case=truncate")) {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            byte[] head = readAtLeast(in, 1 << 20);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(3 << 20);
            }
            got = concat(head, readToEnd(in));
        }
        String text = new String(got, 0, Math.min(got.length, 4096), StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        assertTrue(bodyStart > 4, "no response head");
        int n = Math.min(got.length - bodyStart, 1 << 20);
        assertTrue(Arrays.equals(original, 0, n, got, bodyStart, bodyStart + n),
                container.name() + ": the first bytes of a truncated file differ");
        assertTrue(got.length - bodyStart < BIG, container.name() + ": a truncated file sent whole");
        Files.delete(file);
    }

    private static Socket request(Server s, String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", s.port);
        socket.setReceiveBufferSize(64 << 10);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static byte[] readAtLeast(InputStream in, int n) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int k = in.read(buf, got, n - got);
            if (k < 0) {
                return Arrays.copyOf(buf, got);
            }
            got += k;
        }
        return buf;
    }

    private static byte[] readToEnd(InputStream in) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        try {
            for (int k; (k = in.read(buf)) >= 0; ) {
                all.write(buf, 0, k);
            }
        } catch (IOException e) {
            // reset, or the read timed out while the server waits for bytes that will not come: the end either way
        }
        return all.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private void file(String name, int size) throws IOException {
        Path f = root.resolve(name);
        if (Files.exists(f) && Files.size(f) == size) {
            return;
        }
        byte[] block = new byte[1 << 20];
        Random random = new Random(size);
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int left = size; left > 0; left -= block.length) {
                random.nextBytes(block); // every MiB different: a chunk sent twice or out of order shows
                out.write(block, 0, Math.min(left, block.length));
            }
        }
    }

    /** A self-signed PKCS12 keystore (password {@code secret}) made by the JDK's keytool, once per work folder. */
    private static synchronized Path keystore(Path work) throws Exception {
        Path ks = work.resolve("keystore.p12");
        if (!Files.exists(ks)) {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of(keytool, "-genkeypair", "-keystore",
                    ks.toString(), "-storetype", "PKCS12", "-storepass", "secret", "-keypass", "secret", "-alias",
                    "zc", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1"));
            assertEquals(0, r.exitCode(), r.stderr());
        }
        return ks;
    }

    /** One container JVM with the agent, its ports, its folder (downloads, access log). */
    record Server(Forked app, int port, int tlsPort, Path dir, Path log, String[] out) {

        static Server launch(Jdk jdk, Container c, String options, Path root, Path dir, Path keystore)
                throws Exception {
            Files.createDirectories(dir);
            Path log = dir.resolve("access.log");
            Forked app = Forked.start(List.of(jdk.java().toString(), "-javaagent:" + AGENT + "=" + options,
                    "-cp", c.classpath(), c.main(), "0", root.toString(), log.toString(), keystore.toString()));
            try {
                int port = Integer.parseInt(app.awaitLine("PORT ", Duration.ofSeconds(60)).trim());
                int tls = Integer.parseInt(app.awaitLine("TLS ", Duration.ofSeconds(60)).trim());
                return new Server(app, port, tls, dir, log, new String[1]);
            } catch (Throwable t) {
                app.close();
                throw t;
            }
        }

        /** SIGTERM, so that shutdown hooks run and the agent writes its statistics. */
        void stop() throws InterruptedException {
            app.process().destroy();
            Forked.Result r = app.await(Duration.ofSeconds(30));
            out[0] = r.stdout();
            app.close();
        }

        String stdout() {
            return out[0];
        }
    }
}
