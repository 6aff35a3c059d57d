package zc.containers.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zc.containers.Container;
import zc.containers.ContainerTest;
import zc.containers.Differential;
import zc.testkit.Jdk;

/**
 * Eclipse Jetty 12 (ee10 servlets and a core handler), 11 and 9.4 from Maven Central, off vs rewrite on JDK 17 and
 * 25 (Jetty 10 on the build's JDK)
 * ({@link Differential}); with zc the servlet's copies into Jetty's HttpOutput go as mapped windows through
 * {@code HttpOutput.write(ByteBuffer)} ({@code jetty-mapped}) on plain HTTP/1.1, and keep the loop, each with its
 * reason, through GzipHandler, TLS and h2c.
 */
class JettyIT extends ContainerTest {

    /** The 9.4 launcher compiled against the 9.4, 10 and 11 jars: version -> [launchers, jars]. */
    static final java.util.Map<String, Path[]> OLDER = new java.util.HashMap<>();

    @BeforeAll
    static void compileOlderLaunchers() throws Exception {
        // Jetty 9.4's, 10's and 11's jars share artifact names with Jetty 12's: their launcher is compiled here,
        // against their own jars (the same source: its API is the same in all three, but that Jetty 11 implements
        // jakarta.servlet 5, javax.servlet renamed)
        for (String version : List.of("jetty9", "jetty10", "jetty11")) {
            Path jars = Path.of(System.getProperty("zc." + version + ".jars", "target/" + version));
            Path classes = Files.createDirectories(work.resolve(version + "-classes"));
            Path sources = Path.of(System.getProperty("zc.jetty9.sources", "src/test/jetty9"));
            List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(), "-cp",
                    Container.jars(jars, classes)));
            if (version.equals("jetty11")) {
                sources = jakarta(sources, Files.createDirectories(work.resolve("jetty11-sources")));
            }
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
            }
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "javac of the launcher for "
                    + version);
            OLDER.put(version, new Path[] {classes, jars});
        }
    }

    /** The launcher's sources with {@code javax.servlet} read as {@code jakarta.servlet}, written under {@code to}. */
    private static Path jakarta(Path sources, Path to) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path copy = to.resolve(sources.relativize(f));
                Files.createDirectories(copy.getParent());
                Files.writeString(copy, Files.readString(f).replace("javax.servlet", "jakarta.servlet"));
            }
        }
        return to;
    }

    static Stream<Arguments> cases() throws Exception {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.installed()) {
            cases.add(Arguments.of(jdk, "jetty12"));
            cases.add(Arguments.of(jdk, "jetty9"));
            cases.add(Arguments.of(jdk, "jetty11"));
        }
        cases.add(Arguments.of(Jdk.installed().get(0), "jetty10")); // the same HttpOutput as 9.4: one JDK

        return cases.stream();
    }

    /** The bytes Jetty took before the client reset the connection are counted, as the other sinks count them. */
    @ParameterizedTest
    @MethodSource("jdks")
    void anAbortedDownloadCountsWhatWentBeforeTheReset(Jdk jdk) throws Exception {
        Differential.Outcome outcome = new Differential(jdk, jetty12(), work).aborted();
        long mapped = outcome.via("zc.containers.FileServlet", "jetty-mapped");
        assertTrue(mapped >= 256 << 10 && mapped <= Differential.BIG, "jetty-mapped " + mapped + " for the "
                + "client that read 256 KiB and reset: " + outcome.stats());
    }

    static Stream<Arguments> versions() {
        List<Arguments> cases = new ArrayList<>();
        for (Jdk jdk : Jdk.installed()) {
            cases.add(Arguments.of(jdk, "jetty12"));
        }
        for (String version : List.of("jetty9", "jetty10", "jetty11")) {
            cases.add(Arguments.of(Jdk.installed().get(0), version));
        }
        return cases.stream();
    }

    /**
     * A HEAD response sends no body: Jetty takes its writes and drops them (HttpGenerator), so zc keeps the loop with
     * that reason and counts no byte as moved zero-copy (a mapped window used to count 64 MiB as jetty-mapped).
     */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("versions")
    void aHeadRequestCountsNoBytesAsMoved(Jdk jdk, String version) throws Exception {
        Differential.Outcome outcome = new Differential(jdk, container(version), work).head();
        String servlet = servlet(version);
        assertEquals(0, outcome.via(servlet, "jetty-mapped"), outcome.stats().toString());
        assertEquals(0, outcome.bytes(servlet, "mmap") + outcome.bytes(servlet, "sendfile"),
                outcome.stats().toString());
        assertEquals(Map.of("HEAD request: Jetty sends no body (its HttpGenerator drops the content)", 2L),
                outcome.fallbacks(servlet), outcome.stats().toString());
    }

    /**
     * Known difference (docs/agent.md): a chunked response whose file is cut during the transfer. Without zc the loop
     * reads the shortened file to its end and Jetty ends the body with its last chunk (a well-formed, short body:
     * curl exits 0); with zc the mapped write fails (EFAULT) or the cut check throws, and Jetty closes the connection
     * without the last chunk (curl exits 18). Either way a short prefix of the file.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void aChunkedResponseWhoseFileIsCutEndsWithoutItsLastChunkWithZc(Jdk jdk) throws Exception {
        Map<String, String> ends = new Differential(jdk, jetty12(), work).cutChunked();
        assertEquals(Map.of("off", "last chunk, short", "zc", "no last chunk, short"), ends);
    }

    private static String servlet(String version) {
        return version.equals("jetty12") ? "zc.containers.FileServlet" : "zc.containers.jetty9.Jetty9Main$Files";
    }

    private static Container container(String version) throws java.io.IOException {
        return version.equals("jetty12")
                ? jetty12()
                : new Container(version, "zc.containers.jetty9.Jetty9Main",
                        Container.jars(OLDER.get(version)[1], OLDER.get(version)[0]), 32768, false, "jetty-mapped");
    }

    private static Container jetty12() {
        return new Container("jetty12", Jetty12Main.class.getName(),
                Container.classpath("zc.cp.jetty12", Differential.LAUNCHERS), 32768, true, "jetty-mapped", "/core");
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void everyResponseAsWithoutZcAndTheBytesGoMapped(Jdk jdk, String version) throws Exception {
        boolean twelve = version.equals("jetty12");
        Differential.Outcome outcome = new Differential(jdk, container(version), work).run();
        String servlet = servlet(version);
        long mapped = outcome.via(servlet, "jetty-mapped");
        // plain HTTP/1.1 bodies of minBytes and more: 64 MiB twice (and twice with more after it), 4 MiB twice (and
        // twice by transferTo), minBytes+1 twice; then the concurrent, aborted and truncated downloads
        long compared = 4L * Differential.BIG + 4L * ((4 << 20) + 3) + 2L * 65537;
        assertTrue(mapped >= compared, "jetty-mapped " + mapped + " < " + compared + ": " + outcome.stats());
        if (twelve) { // the core handler's loop into Content.Sink.asOutputStream(response), with and without length
            long core = outcome.via(CoreFiles.class.getName(), "jetty-mapped");
            assertTrue(core >= 2L * Differential.BIG, "core jetty-mapped " + core + ": " + outcome.stats());
        }
        Map<String, Long> fallbacks = outcome.fallbacks(servlet);
        assertTrue(fallbacks.keySet().stream().anyMatch(r -> r.startsWith("Jetty's response is compressed")),
                fallbacks.toString());
        assertTrue(fallbacks.keySet().stream().anyMatch(r -> r.startsWith("TLS")), fallbacks.toString());
        assertTrue(fallbacks.keySet().stream().anyMatch(r -> r.startsWith("HEAD request")), fallbacks.toString());
        if (twelve) {
            assertTrue(fallbacks.keySet().stream().anyMatch(r -> r.startsWith("HTTP/2")), fallbacks.toString());
        }
    }
}
