package zc.containers.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.containers.RawHttp;
import zc.containers.TestFiles;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * The tests' own Spring Boot 3.5 fat jar (spring-boot-app: embedded Tomcat 10.1) with the agent, on JDK 17 and 25:
 * a 64 MiB file downloaded through each way the app serves it, every byte checked, and at least 90% of the body
 * bytes sent by sendfile into Tomcat's socket, as the statistics of the call site that copied them say. Static
 * resources ({@code file:} location: a BufferedInputStream around a FileInputStream into CoyoteOutputStream) and the
 * controller's loop (into Spring's LifecycleServletOutputStream around it) need nothing else;
 * {@code Files.newInputStream(..).transferTo} and {@code ResponseEntity<Resource>} read a ChannelInputStream, which
 * zc takes once the sources work is in: until then that test is skipped with that reason. Behind Spring
 * Security's filter chain (the app's "security" profile) the same, with the answers compared to the app without zc.
 */
class SpringBootIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final String APP = System.getProperty("zc.springApp",
            "../spring-boot-app/target/zc-spring-boot-app.jar");
    private static final long BIG = 64L << 20;
    private static final String CONVERTER = "org.springframework.http.converter.ResourceHttpMessageConverter";
    private static final String CONTROLLER = "zc.springapp.ZcSpringApp";

    @TempDir
    static Path work;
    static Path root;

    @BeforeAll
    static void files() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of(APP)), "the fat jar is built by spring-boot-app: " + APP);
        root = Files.createDirectories(work.resolve("www"));
        TestFiles.write(root.resolve("big.bin"), (int) BIG, new Random(35));
    }

    static List<Jdk> jdks() {
        return Jdk.installed();
    }

    static List<Jdk> virtualThreadJdks() {
        return Jdk.withJdk21().stream().filter(j -> j.major() >= 21).toList();
    }

    @ParameterizedTest(name = "static resources and a controller's loop on {0}")
    @MethodSource("jdks")
    void staticResourcesAndTheControllersLoopGoBySendfile(Jdk jdk) throws Exception {
        JsonNode stats = serve(jdk, "static", List.of("/big.bin", "/loop/big.bin"));
        assertSendfile(site(stats, CONVERTER, "writeContent"));
        assertSendfile(site(stats, CONTROLLER, "loop"));
    }

    @ParameterizedTest(name = "Files.newInputStream and ResponseEntity<Resource> on {0}")
    @MethodSource("jdks")
    void newInputStreamAndResourceGoBySendfile(Jdk jdk) throws Exception {
        JsonNode stats = serve(jdk, "nio", List.of("/nio/big.bin", "/resource/big.bin"));
        assertSendfile(site(stats, CONVERTER, "writeContent"));
        assertSendfile(site(stats, CONTROLLER, "nio"));
    }

    /** spring.threads.virtual.enabled: Tomcat runs every request on a virtual thread (JDK 21+). */
    @ParameterizedTest(name = "all four ways on virtual threads on {0}")
    @MethodSource("virtualThreadJdks")
    void allFourWaysOnVirtualThreads(Jdk jdk) throws Exception {
        assumeTrue(jdk.major() >= 21, "virtual threads need JDK 21");
        JsonNode stats = serve(jdk, "virtual", List.of("/big.bin", "/loop/big.bin", "/nio/big.bin",
                "/resource/big.bin"), "--spring.threads.virtual.enabled=true");
        JsonNode converter = site(stats, CONVERTER, "writeContent");
        long sent = converter.get("via").path("tomcat-sendfile").asLong();
        assertTrue(sent >= 2 * BIG * 9 / 10, "static and Resource: tomcat-sendfile bytes " + sent + ": " + converter);
        assertSendfile(site(stats, CONTROLLER, "loop"));
        assertSendfile(site(stats, CONTROLLER, "nio"));
    }

    /**
     * Spring Security's default chain, every request permitted: HeaderWriterFilter's OnCommittedResponseWrapper
     * around every response, whose stream zc unwraps. The answers (security headers written on commit included)
     * are the same as without zc, and the bytes still go by sendfile.
     */
    @ParameterizedTest(name = "behind Spring Security's filter chain on {0}")
    @MethodSource("jdks")
    void behindSpringSecurityTheAnswersAreAsWithoutZc(Jdk jdk) throws Exception {
        List<String> paths = List.of("/big.bin", "/loop/big.bin", "/nio/big.bin", "/resource/big.bin");
        String profile = "--spring.profiles.active=security";
        Served off = serve(jdk, "security-off", "mode=off,", paths, profile);
        Served zc = serve(jdk, "security", "", paths, profile);
        assertEquals(off.heads(), zc.heads());
        assertTrue(zc.heads().get(1).contains("X-Frame-Options: DENY"), zc.heads().get(1));
        JsonNode converter = site(zc.stats(), CONVERTER, "writeContent");
        long sent = converter.get("via").path("tomcat-sendfile").asLong();
        assertTrue(sent >= 2 * BIG * 9 / 10, "static and Resource: tomcat-sendfile bytes " + sent + ": " + converter);
        assertSendfile(site(zc.stats(), CONTROLLER, "loop"));
        assertSendfile(site(zc.stats(), CONTROLLER, "nio"));
    }

    /** The statistics (null with mode=off) and each answer's status line and headers but Date. */
    record Served(JsonNode stats, List<String> heads) {
    }

    private static JsonNode serve(Jdk jdk, String name, List<String> paths, String... appArgs) throws Exception {
        return serve(jdk, name, "", paths, appArgs).stats();
    }

    /** Downloads each path once, on one kept-alive connection, every byte checked against the file. */
    private static Served serve(Jdk jdk, String name, String options, List<String> paths, String... appArgs)
            throws Exception {
        Path out = Files.createDirectories(work.resolve("stats-" + name + "-" + jdk));
        List<String> cmd = new java.util.ArrayList<>(List.of(jdk.java().toString(), "-Xmx256m",
                "-javaagent:" + AGENT + "=" + options + "out=" + out, "-jar", APP, "--zc.files=" + root));
        cmd.addAll(List.of(appArgs));
        Forked app = Forked.start(cmd);
        List<String> heads = new java.util.ArrayList<>();
        try {
            int port = Integer.parseInt(app.awaitLine("PORT ", Duration.ofSeconds(90)).trim());
            var d = RawHttp.sha();
            d.update(Files.readAllBytes(root.resolve("big.bin")));
            String expected = RawHttp.hex(d);
            try (RawHttp http = new RawHttp(new Socket("127.0.0.1", port))) {
                for (String path : paths) {
                    RawHttp.Answer a = http.exchange("GET", path);
                    assertTrue(a.head().startsWith("HTTP/1.1 200"), path + ": " + a.head());
                    assertEquals(BIG, a.bodyLength(), path);
                    assertEquals(expected, a.bodyDigest(), path + ": the body differs from the file");
                    heads.add(a.head());
                }
            }
        } finally {
            app.process().destroy();
            if (!app.process().waitFor(30, TimeUnit.SECONDS)) {
                app.close();
            }
        }
        Forked.Result r = app.await(Duration.ofSeconds(10));
        if (options.startsWith("mode=off")) {
            return new Served(null, heads); // mode=off writes no statistics
        }
        Path stats = out.resolve("zc-agent-" + app.process().pid() + ".json");
        assertTrue(Files.isRegularFile(stats), "no statistics; stderr: " + r.stderr());
        JsonNode json = new ObjectMapper().readTree(stats.toFile());
        assertEquals(0, json.get("errors").size(), json.get("errors").toString());
        return new Served(json, heads);
    }

    /** One 64 MiB download through this site: at least 90% of it by sendfile into Tomcat's socket. */
    private static void assertSendfile(JsonNode site) {
        long sent = site.get("via").path("tomcat-sendfile").asLong();
        assertTrue(sent >= BIG * 9 / 10 && sent <= BIG, "tomcat-sendfile bytes " + sent + ": " + site);
    }

    private static JsonNode site(JsonNode stats, String className, String method) {
        for (JsonNode s : stats.get("sites")) {
            if (s.get("class").asText().equals(className) && s.get("method").asText().startsWith(method + "(")) {
                return s;
            }
        }
        throw new AssertionError("no site " + className + "." + method + " in " + stats.get("sites"));
    }
}
