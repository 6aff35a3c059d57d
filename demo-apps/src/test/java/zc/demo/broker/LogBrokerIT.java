package zc.demo.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/** Broker, producer and consumer in three forked JVMs, serving with sendfile and with mmap, on every JDK. */
class LogBrokerIT {
    private static final String JAR = System.getProperty("zc.demosJar", "target/zc-demos.jar");
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) messages, (\\d+) bytes, (crc32c:[0-9a-f]{8})");

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Jdk.installed().stream().flatMap(j -> Stream.of(Arguments.of(j, "sendfile"), Arguments.of(j, "mmap")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void consumersGetEveryProducedByteInOrder(Jdk jdk, String serve) throws Exception {
        try (Forked broker = Forked.start(List.of(jdk.java().toString(), "-cp", JAR, LogBroker.class.getName(),
                "--dir", dir.toString(), "--port", "0", "--serve", serve, "--capacity", "64m"))) {
            String port = broker.awaitLine("ZC-LISTENING ", Duration.ofSeconds(30)).strip();
            Forked.Result produced = run(jdk, LogProducer.class, "--port", port, "--count", "3000", "--size", "1500");
            Matcher p = summary(produced);
            assertEquals("3000", p.group(1));
            assertEquals("4500000", p.group(2));
            // Small fetches split records across responses: the consumer must reassemble them.
            Forked.Result consumed = run(jdk, LogConsumer.class, "--port", port, "--fetch", "10000",
                    "--expect", p.group(3));
            assertEquals(0, consumed.exitCode(), consumed.stderr());
            Matcher c = summary(consumed);
            assertEquals("3000", c.group(1));
            assertEquals(p.group(3), c.group(3));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void aConsumerExpectingOtherBytesFailsLoudly(Jdk jdk, String serve) throws Exception {
        try (Forked broker = Forked.start(List.of(jdk.java().toString(), "-cp", JAR, LogBroker.class.getName(),
                "--dir", dir.toString(), "--port", "0", "--serve", serve, "--capacity", "1m"))) {
            String port = broker.awaitLine("ZC-LISTENING ", Duration.ofSeconds(30)).strip();
            run(jdk, LogProducer.class, "--port", port, "--count", "10", "--size", "100");
            Forked.Result consumed = run(jdk, LogConsumer.class, "--port", port, "--expect", "crc32c:00000000");
            assertEquals(1, consumed.exitCode());
            assertTrue(consumed.stderr().contains("MISMATCH"), consumed.stderr());
        }
    }

    private static Forked.Result run(Jdk jdk, Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-cp", JAR, main.getName()));
        cmd.addAll(List.of(args));
        return Forked.run(Duration.ofSeconds(60), cmd);
    }

    private static Matcher summary(Forked.Result r) {
        Matcher m = SUMMARY.matcher(r.stdout());
        assertTrue(m.find(), r.stdout() + r.stderr());
        return m;
    }
}
