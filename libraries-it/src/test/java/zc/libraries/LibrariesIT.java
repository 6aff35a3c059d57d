package zc.libraries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * The copy code of real libraries from Maven Central, unmodified ({@link LibraryCalls}), in a JVM with the real
 * agent in mode=off and in another in mode=rewrite, on JDK 17 and 25. Values, sink bytes, source positions and
 * exceptions must be identical; where the source is a FileInputStream and the sink a plain socket or a file, the
 * statistics must show each library's copy site rewritten and its bytes moved by sendfile.
 */
class LibrariesIT {
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final String PROGRAMS = System.getProperty("zc.programs", "target/test-classes");
    private static final String LIBRARIES = System.getProperty("zc.cp.libraries", "");
    private static final int SIZE = (1 << 20) + 3;
    private static final List<String> CALLS = List.of("springCopy", "springCopyRange", "springResource",
            "springRegion", "commonsCopyLarge", "commonsCopyBuffer", "sparkCopy", "guavaCopy", "guavaLoop", "kotlinCopyTo",
            "jettyCopy", "jettyCopyRange", "httpcoreFileEntity", "httpcore5FileEntity");

    /**
     * The copy sites that must be rewritten and move the file's bytes by sendfile: each library's own code (class
     * and method, or with the line where a method has two loops), and the helper calls LibraryCalls makes itself
     * (by the helper, their methods being lambdas).
     */
    private static final List<String> ZERO_COPY_SITES = List.of("org.springframework.util.StreamUtils.copyRange",
            "org.eclipse.jetty.util.IO.copy:112", "org.eclipse.jetty.util.IO.copy:128",
            "org.springframework.http.converter.ResourceHttpMessageConverter.writeContent",
            "org.apache.commons.io.IOUtils.copyLarge", "spark.utils.IOUtils.copyLarge",
            "com.google.common.io.ByteStreams.copy",
            "kotlin.io.ByteStreamsKt.copyTo", "org.apache.http.entity.FileEntity.writeTo",
            "org.apache.hc.core5.http.io.entity.AbstractHttpEntity.writeTo", "StreamUtils.copy(in, out)",
            "ByteStreams.copy(in, out)");

    @TempDir
    static Path work;

    static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void librariesBehaveTheSameAndTheirCopiesGoZeroCopy(Jdk jdk) throws Exception {
        List<String> cases = new ArrayList<>();
        for (String call : CALLS) {
            for (String sink : List.of("file", "socket")) {
                cases.add(call + ":file:" + sink + ":" + SIZE);
                cases.add(call + ":path:" + sink + ":" + SIZE);
            }
            cases.add(call + ":file:socket:0");
            cases.add(call + ":file:file:100");
            cases.add(call + ":file:closed:" + SIZE);
        }
        Path stats = work.resolve("stats-" + jdk.major());
        Map<String, String[]> off = run(jdk, "mode=off", cases);
        Map<String, String[]> rewrite = run(jdk, "mode=rewrite,minBytes=4096,out=" + stats, cases);
        for (String c : cases) {
            String[] a = off.get(c);
            if (c.endsWith(":" + SIZE) && !c.contains(":closed:")) {
                // empty and tiny files make some libraries throw (copyRange past the end): those are compared
                assertEquals("-", a[5], "runs clean without zc: " + String.join("|", a));
            }
            for (int field = 2; field <= 5; field++) {
                assertEquals(a[field], rewrite.get(c)[field], c + " field " + field + ": off " + String.join("|", a)
                        + " / rewrite " + String.join("|", rewrite.get(c)));
            }
        }
        JsonNode doc;
        try (Stream<Path> files = Files.list(stats)) {
            doc = new ObjectMapper().readTree(files.findFirst().orElseThrow().toFile());
        }
        Map<String, JsonNode> sites = new HashMap<>();
        for (JsonNode s : doc.get("sites")) {
            String method = s.get("class").asText() + "." + s.get("method").asText().split("\\(")[0];
            if (s.get("class").asText().equals("zc.libraries.LibraryCalls")) {
                sites.put(s.get("shape").asText(), s);
            } else {
                sites.put(method + ":" + s.get("line").asInt(), s);
                sites.merge(method, s, (x, y) -> y.get("bytes").get("sendfile").asLong() > 0 ? y : x);
            }
        }
        ZERO_COPY_SITES.forEach(key -> {
            JsonNode site = sites.get(key);
            assertNotNull(site, key + " in " + sites.keySet());
            assertEquals("rewritten", site.get("status").asText(), site.toString());
            assertTrue(site.get("bytes").get("sendfile").asLong() >= SIZE / 2, site.toString());
        });
    }

    private static Map<String, String[]> run(Jdk jdk, String agentOptions, List<String> cases) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-javaagent:" + AGENT + "=" + agentOptions,
                "-cp", PROGRAMS + java.io.File.pathSeparator + LIBRARIES, "zc.libraries.LibraryCalls",
                work.toString()));
        cmd.addAll(cases);
        Forked.Result r = Forked.run(Duration.ofMinutes(3), cmd);
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String[]> results = new HashMap<>();
        r.stdout().lines().filter(l -> l.startsWith("RESULT|"))
                .forEach(l -> results.put(l.split("\\|")[1], l.split("\\|", -1)));
        assertEquals(cases.size(), results.size(), r.stdout() + r.stderr());
        return results;
    }
}
