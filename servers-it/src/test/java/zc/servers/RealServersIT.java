package zc.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * Real servers from Maven Central, unmodified, each in its own JVM on JDK 17 and 25, with zc-agent given at launch
 * or loaded by {@code zc attach} after a first download. curl fetches files below minBytes, of 1 MiB and of 64 MiB
 * (and a range of the last from the HTTP servers) on one connection, after a client that gave up in the middle;
 * every byte must match, and the statistics must say what zc did with each server's copy code: rewritten, with
 * the bytes sendfile moved, or declined for the reason that is true of that code.
 */
class RealServersIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final String CLI = System.getProperty("zc.cliJar", "../cli/target/zc-cli.jar");
    private static final String LAUNCHERS = System.getProperty("zc.launchers", "target/test-classes");
    private static final Map<String, Integer> FILES = Map.of("small.bin", 10_000, "one.bin", (1 << 20) + 7,
            "big.bin", 64 << 20);
    /** A range of big.bin, asked of the HTTP servers (first and last byte, as in a Range header). */
    private static final long RANGE_FIRST = 1000;
    private static final long RANGE_LAST = 4_000_999;
    /** What NanoHTTPD must send by sendfile: one.bin, big.bin and the range; small.bin is below minBytes. */
    private static final long ZERO_COPY_BYTES = FILES.get("one.bin") + (long) FILES.get("big.bin")
            + RANGE_LAST - RANGE_FIRST + 1;

    @TempDir
    static Path work;
    static Path root;

    enum How { LAUNCH, ATTACH }

    /** Each test, not the class, assumes curl: where it is missing JUnit reports the tests skipped, with why. */
    @BeforeEach
    void curl() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is the client (.ci/run installs it)");
    }

    @BeforeAll
    static void files() throws IOException {
        root = Files.createDirectories(work.resolve("www"));
        Random random = new Random(6);
        byte[] block = new byte[1 << 20];
        for (Map.Entry<String, Integer> f : FILES.entrySet()) {
            try (OutputStream out = Files.newOutputStream(root.resolve(f.getKey()))) {
                for (int left = f.getValue(); left > 0; left -= block.length) {
                    random.nextBytes(block); // every MiB different: a chunk sent twice or out of order shows
                    out.write(block, 0, Math.min(left, block.length));
                }
            }
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.installed()) {
            for (Server server : Server.values()) {
                for (How how : How.values()) {
                    cases.add(Arguments.of(jdk, server, how));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{1} on {0}, agent at {2}")
    @MethodSource("cases")
    void everyByteArrivesAndTheStatisticsSayWhatZcDid(Jdk jdk, Server server, How how) throws Exception {
        Path out = work.resolve("stats-" + server + "-" + jdk + "-" + how);
        Path downloads = Files.createDirectories(work.resolve("got-" + server + "-" + jdk + "-" + how));
        String options = "out=" + out + ",log=info";
        int port = server == Server.NANOHTTPD ? freePort() : 0;
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        if (how == How.LAUNCH) {
            cmd.add("-javaagent:" + AGENT + "=" + options);
        } else if (jdk.major() >= 21) {
            cmd.add("-XX:+EnableDynamicAgentLoading");
        }
        cmd.addAll(List.of("-cp", LAUNCHERS + java.io.File.pathSeparator + server.classpath()));
        cmd.addAll(server.command(root, port));
        Forked app = Forked.start(cmd);
        try {
            String ready = app.awaitLine(server.ready, Duration.ofSeconds(60));
            if (port == 0) {
                port = Integer.parseInt(ready.trim());
            }
            if (how == How.ATTACH) {
                // a first download loads the server's copy code, so the attach has loaded classes to retransform
                download(server, port, "small.bin", downloads.resolve("before-attach"));
                attach(app, options);
            }
            abandon(server, port, downloads.resolve("abandoned"));
            downloadAll(server, port, downloads);
        } finally {
            stop(app);
        }
        JsonNode stats = stats(out, app);
        assertEquals(0, stats.get("errors").size(), stats.get("errors").toString());
        server.check(sites(stats), app.stderrSoFar());
        if (server == Server.NANOHTTPD) {
            // by its 16 KiB loop, 72 MB would take 4,400 writes; the whole JVM made far fewer (the kernel counts)
            long syscw = stats.get("process").get("syscw").asLong();
            assertTrue(syscw < 1_500, "write system calls of the whole server: " + syscw);
        }
    }

    /** The copy code of each server, and what zc must have made of it. */
    enum Server {
        /**
         * SimpleWebServer's own main; NanoHTTPD.Response.sendBody copies the FileInputStream to the socket with a
         * Content-Length loop that also has a send-everything mode (chunked and gzip responses): rewritten.
         */
        NANOHTTPD("zc.cp.nanohttpd", "fi.iki.elonen.SimpleWebServer", "Server started", "http") {
            @Override
            List<String> command(Path root, int port) {
                return List.of(main, "-q", "-h", "127.0.0.1", "-p", String.valueOf(port), "-d", root.toString());
            }

            @Override
            void check(Map<String, JsonNode> sites, String stderr) {
                JsonNode site = site(sites, "fi.iki.elonen.NanoHTTPD$Response", "sendBody(Ljava/io/OutputStream;J)V",
                        stderr);
                assertEquals("rewritten", site.get("status").asText(), site.toString());
                long sendfile = site.get("bytes").get("sendfile").asLong();
                // the complete downloads, and some of the abandoned one
                assertTrue(sendfile >= ZERO_COPY_BYTES && sendfile <= ZERO_COPY_BYTES + FILES.get("big.bin"),
                        site.toString());
                assertEquals(1, site.get("fallbacks").get("fewer bytes left than minBytes").asInt(),
                        site.toString());
            }
        },
        /**
         * Apache FtpServer embedded; IODataConnection.transfer reads into a buffer and writes it out, with a
         * transfer-rate limit (sleeps), session byte counters, observer notifications and ASCII translation in the
         * loop: declined.
         */
        FTPSERVER("zc.cp.ftpserver", FtpServerMain.class.getName(), "PORT ", "ftp") {
            @Override
            void check(Map<String, JsonNode> sites, String stderr) {
                JsonNode site = site(sites, "org.apache.ftpserver.impl.IODataConnection", "transfer(Lorg/apache/"
                        + "ftpserver/ftplet/FtpSession;ZLjava/io/InputStream;Ljava/io/OutputStream;I)J", stderr);
                assertEquals("declined", site.get("status").asText(), site.toString());
                assertEquals(FTP_REASON, site.get("reason").asText(), site.toString());
            }
        },
        /**
         * Apache Tomcat embedded with DefaultServlet: files of 48 KiB and more go by Tomcat's own sendfile; of the
         * copyRange loops, one catches the read's and write's IOException inside the loop (rewritten, and kept at
         * run time for Tomcat's stream), the ranged one has a second write for the range's end: declined.
         */
        TOMCAT("zc.cp.tomcat", TomcatMain.class.getName(), "PORT ", "http") {
            @Override
            void check(Map<String, JsonNode> sites, String stderr) {
                String servlet = "org.apache.catalina.servlets.DefaultServlet";
                JsonNode whole = site(sites, servlet, "copyRange(Ljava/io/InputStream;"
                        + "Ljakarta/servlet/ServletOutputStream;)Ljava/io/IOException;", stderr);
                // its try/catch inside the loop is a shape zc rewrites; the sink, a CoyoteOutputStream, keeps the loop
                assertEquals("rewritten", whole.get("status").asText(), whole.toString());
                assertEquals(0, whole.get("bytes").get("sendfile").asLong(), whole.toString());
                JsonNode range = site(sites, servlet, "copyRange(Ljava/io/InputStream;"
                        + "Ljakarta/servlet/ServletOutputStream;JJ)Ljava/io/IOException;", stderr);
                assertEquals("declined", range.get("status").asText(), range.toString());
                assertEquals("the loop does more than read and write: it also calls ServletOutputStream.write",
                        range.get("reason").asText(), range.toString());
            }
        };

        final String classpathProperty;
        final String main;
        final String ready;
        final String scheme;

        Server(String classpathProperty, String main, String ready, String scheme) {
            this.classpathProperty = classpathProperty;
            this.main = main;
            this.ready = ready;
            this.scheme = scheme;
        }

        String classpath() {
            String cp = System.getProperty(classpathProperty);
            assertNotNull(cp, classpathProperty + " (set by the pom)");
            return cp;
        }

        /** The main class and its arguments: the launchers take the folder to serve and pick their own port. */
        List<String> command(Path root, int port) {
            return List.of(main, root.toString());
        }

        abstract void check(Map<String, JsonNode> sites, String stderr);

        /** The site of a method (name and descriptor); the servers' copy methods have one loop each. */
        static JsonNode site(Map<String, JsonNode> sites, String className, String method, String stderr) {
            JsonNode site = sites.get(className + "." + method);
            assertNotNull(site, className + "." + method + " not among the sites " + sites.keySet() + "; " + stderr);
            return site;
        }
    }

    static final String FTP_REASON = "the loop does more than read and write: it also calls "
            + "System.currentTimeMillis, Thread.sleep, DefaultFtpSession.increaseWrittenDataBytes, "
            + "DefaultFtpSession.increaseReadDataBytes, BufferedOutputStream.write, IODataConnection.notifyObserver";

    private static void download(Server server, int port, String name, Path to) throws Exception {
        curl(server, List.of(List.of("-o", to.toString(), url(server, port, name))));
        assertEquals(-1, Files.mismatch(root.resolve(name), to), name + ": the download differs from the file");
    }

    /**
     * One curl for every file, so that an HTTP server answers them on one kept-alive connection (sockets that a
     * timed read has left non-blocking), and, from the HTTP servers, a range of big.bin.
     */
    private static void downloadAll(Server server, int port, Path dir) throws Exception {
        List<String> names = List.of("small.bin", "one.bin", "big.bin");
        List<List<String>> transfers = new ArrayList<>();
        for (String name : names) {
            transfers.add(List.of("-o", dir.resolve(name).toString(), url(server, port, name)));
        }
        boolean ranged = server.scheme.equals("http");
        if (ranged) {
            transfers.add(List.of("-r", RANGE_FIRST + "-" + RANGE_LAST, "-o", dir.resolve("range").toString(),
                    url(server, port, "big.bin")));
        }
        curl(server, transfers);
        for (String name : names) {
            assertEquals(-1, Files.mismatch(root.resolve(name), dir.resolve(name)), name + ": the download differs");
        }
        if (ranged) {
            byte[] big = Files.readAllBytes(root.resolve("big.bin"));
            byte[] expected = java.util.Arrays.copyOfRange(big, (int) RANGE_FIRST, (int) RANGE_LAST + 1);
            assertTrue(java.util.Arrays.equals(expected, Files.readAllBytes(dir.resolve("range"))),
                    "the range of big.bin differs");
        }
    }

    /**
     * A client that gives up in the middle of big.bin (slow, then gone after a second): the server sees its
     * connection fail mid-transfer, and must serve the next client as before.
     */
    private static void abandon(Server server, int port, Path to) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--limit-rate", "4M", "--max-time", "1", "-o",
                to.toString()));
        if (server.scheme.equals("ftp")) {
            cmd.addAll(List.of("--user", "zc:zc"));
        }
        cmd.add(url(server, port, "big.bin"));
        Forked.Result r = Forked.run(Duration.ofMinutes(1), cmd);
        assertEquals(28, r.exitCode(), "curl stopped by --max-time: " + r.stderr());
    }

    /** curl with one transfer per list (separated by --next), failing on any HTTP or FTP error. */
    private static void curl(Server server, List<List<String>> transfers) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl"));
        for (List<String> t : transfers) {
            if (cmd.size() > 1) {
                cmd.add("--next");
            }
            cmd.addAll(List.of("-sS", "--fail", "--max-time", "120"));
            if (server.scheme.equals("ftp")) {
                cmd.addAll(List.of("--user", "zc:zc"));
            }
            cmd.addAll(t);
        }
        Forked.Result r = Forked.run(Duration.ofMinutes(3), cmd);
        assertEquals(0, r.exitCode(), "curl: " + r.stderr());
    }

    private static String url(Server server, int port, String name) {
        return server.scheme + "://127.0.0.1:" + port + "/" + name;
    }

    private static void attach(Forked app, String options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of(java, "-jar", CLI, "attach",
                String.valueOf(app.process().pid()), "--agent", AGENT, "--options", options));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!app.stderrSoFar().contains("loaded class(es) checked again")) {
            assertTrue(System.nanoTime() < deadline, "retransformation did not finish: " + app.stderrSoFar());
            Thread.sleep(50);
        }
    }

    /** SIGTERM, so that the shutdown hooks run and the agent writes its statistics. */
    private static void stop(Forked app) throws InterruptedException {
        app.process().destroy();
        if (!app.process().waitFor(30, TimeUnit.SECONDS)) {
            app.close();
        }
        app.close();
    }

    private static JsonNode stats(Path dir, Forked app) throws IOException {
        Path file = dir.resolve("zc-agent-" + app.process().pid() + ".json");
        assertTrue(Files.isRegularFile(file), "no statistics at " + file + "; stderr: " + app.stderrSoFar());
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Sites by class and method (name and descriptor). */
    private static Map<String, JsonNode> sites(JsonNode stats) {
        Map<String, JsonNode> sites = new java.util.LinkedHashMap<>();
        stats.get("sites").forEach(s -> sites.put(s.get("class").asText() + "." + s.get("method").asText(), s));
        return sites;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
