package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * Runs corpus scenarios ({@code zc.corpus.CorpusMain}) in one forked JVM with the real agent, and compares two such
 * runs: what the application can observe must be the same, and at the large size the write syscalls must fall.
 */
final class CorpusRuns {
    static final String AGENT = System.getProperty("zc.agentJar", "target/zc-agent.jar");

    private CorpusRuns() {
    }

    /** Scenario -> its RESULT fields: scenario, value, sink hash, source position, exception, write syscalls. */
    static Map<String, String[]> run(Jdk jdk, String agentOptions, List<String> jvmFlags, String classpath,
                                     Path work, Collection<String> scenarios) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-javaagent:" + AGENT + "=" + agentOptions));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-cp", classpath, "zc.corpus.CorpusMain", work.toString()));
        cmd.addAll(scenarios);
        Forked.Result r = Forked.run(Duration.ofMinutes(5), cmd);
        assertEquals(0, r.exitCode(), r.stderr());
        Map<String, String[]> results = new HashMap<>();
        r.stdout().lines().filter(l -> l.startsWith("RESULT|"))
                .forEach(l -> results.put(l.split("\\|")[1], l.split("\\|", -1)));
        assertEquals(scenarios.size(), results.size(), r.stdout() + r.stderr());
        return results;
    }

    /** A PKCS12 key store for the corpus's TLS scenarios ({@code -Dcorpus.keystore=}), made in {@code work}. */
    static Path keystore(Path work) throws Exception {
        Path ks = work.resolve("ks.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Forked.Result r = Forked.run(Duration.ofMinutes(1), List.of(keytool.toString(), "-genkeypair",
                "-alias", "zc", "-keyalg", "EC", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit", "-keypass", "changeit", "-dname", "CN=localhost", "-validity", "3"));
        assertEquals(0, r.exitCode(), r.stderr());
        return ks;
    }

    /** The one statistics file the agent wrote into {@code dir}. */
    static JsonNode stats(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> list = files.toList();
            assertEquals(1, list.size(), list.toString());
            return new ObjectMapper().readTree(list.get(0).toFile());
        }
    }

    /** Same value, sink bytes, source position and exception; at {@code big} bytes, 100x fewer write syscalls. */
    static void assertSameObservables(Collection<String> scenarios, Map<String, String[]> off,
                                      Map<String, String[]> rewrite, int big) {
        assertSameObservables(scenarios, off, rewrite, big, true);
    }

    /**
     * @param zeroCopy whether the big scenarios must have made 100x fewer write syscalls (rewrite), or as many as
     *                 with the agent off (observe: the original code ran)
     */
    static void assertSameObservables(Collection<String> scenarios, Map<String, String[]> off,
                                      Map<String, String[]> rewrite, int big, boolean zeroCopy) {
        for (String key : scenarios) {
            String[] a = off.get(key);
            String[] b = rewrite.get(key);
            for (int field = 2; field <= 5; field++) {
                assertEquals(a[field], b[field], key + " field " + field + ": off " + String.join("|", a)
                        + " / rewrite " + String.join("|", b));
            }
            if (key.endsWith(":" + big) && zeroCopy) {
                assertTrue(Long.parseLong(b[6]) * 100 <= Long.parseLong(a[6]),
                        key + ": write syscalls " + a[6] + " -> " + b[6]);
            } else if (key.endsWith(":" + big)) {
                assertEquals(Long.parseLong(a[6]), Long.parseLong(b[6]), 4,
                        key + ": observed, the original code's write syscalls");
            }
        }
    }
}
