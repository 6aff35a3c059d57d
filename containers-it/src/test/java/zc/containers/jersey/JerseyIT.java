package zc.containers.jersey;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.containers.Container;
import zc.containers.ContainerTest;
import zc.containers.Differential;
import zc.testkit.Jdk;

/**
 * Jersey 3.1 on Jetty 12 from Maven Central, off vs rewrite on JDK 17 and 25 ({@link Differential}, with the sizes
 * around Jersey's 8 KiB Content-Length buffer): a {@code StreamingOutput}'s copies into Jersey's entity stream
 * ({@code UnCloseableOutputStream} -> {@code CommittingOutputStream} -> {@code NonCloseableOutputStreamWrapper} ->
 * Jetty's HttpOutput) go as mapped windows through Jetty ({@code jetty-mapped}) once Jersey has committed, and keep
 * the loop under GzipHandler, TLS and h2c.
 */
class JerseyIT extends ContainerTest {
    private static final String RESOURCE = "zc.containers.jersey.FileResource";

    @ParameterizedTest(name = "jersey on jetty 12 on {0}")
    @MethodSource("zc.containers.ContainerTest#jdks")
    void everyResponseAsWithoutZcAndTheBytesGoThroughJetty(Jdk jdk) throws Exception {
        Container jersey = new Container("jersey", JerseyJettyMain.class.getName(),
                Container.classpath("zc.cp.jersey", Differential.LAUNCHERS), 8192, true, "jetty-mapped");
        Differential.Outcome outcome = new Differential(jdk, jersey, work).run();
        long mapped = outcome.via(RESOURCE, "jetty-mapped");
        long atLeast = 4L * Differential.BIG + 4L * ((4 << 20) + 3) + 2L * 65537;
        assertTrue(mapped >= atLeast, "jetty-mapped " + mapped + " < " + atLeast + ": " + outcome.stats());
        Map<String, Long> fallbacks = outcome.fallbacks(RESOURCE);
        assertTrue(fallbacks.keySet().stream().anyMatch(r -> r.startsWith("inside Jersey's stream: TLS")),
                fallbacks.toString());
        assertTrue(fallbacks.keySet().stream().anyMatch(r -> r.contains("compressed")), fallbacks.toString());
    }
}
