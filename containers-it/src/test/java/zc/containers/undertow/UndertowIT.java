package zc.containers.undertow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.containers.Container;
import zc.containers.ContainerTest;
import zc.containers.Differential;
import zc.testkit.Jdk;

/**
 * Undertow 2.3 from Maven Central, off vs rewrite on JDK 17 and 25 ({@link Differential}); with zc the servlet's
 * copies into {@code ServletOutputStreamImpl} go by the response channel's {@code transferFrom}
 * ({@code undertow-transferFrom}): sendfile on plain HTTP/1.1, Undertow's own copy under gzip, TLS and HTTP/2.
 */
class UndertowIT extends ContainerTest {
    private static final String SERVLET = "zc.containers.FileServlet";

    @ParameterizedTest(name = "undertow on {0}")
    @MethodSource("zc.containers.ContainerTest#jdks")
    void everyResponseAsWithoutZcAndTheBytesGoByTransferFrom(Jdk jdk) throws Exception {
        Container undertow = new Container("undertow", UndertowMain.class.getName(),
                Container.classpath("zc.cp.undertow", Differential.LAUNCHERS), 16384, true,
                "undertow-transferFrom");
        Differential.Outcome outcome = new Differential(jdk, undertow, work).run();
        long moved = outcome.via(SERVLET, "undertow-transferFrom");
        // plain bodies of minBytes and more: 64 MiB four times, 4 MiB four times, minBytes+1 twice; gzip (4 MiB
        // twice), TLS (64 MiB and 4 MiB) and h2c (64 MiB and 4 MiB) through Undertow's own copying conduits
        long atLeast = 4L * Differential.BIG + 4L * ((4 << 20) + 3) + 2L * 65537
                + 2L * ((4 << 20) + 3) + 2L * (Differential.BIG + (4 << 20) + 3);
        assertTrue(moved >= atLeast, "undertow-transferFrom " + moved + " < " + atLeast + ": " + outcome.stats());
        Map<String, Long> fallbacks = outcome.fallbacks(SERVLET);
        assertTrue(fallbacks.keySet().stream().allMatch(r -> r.equals("fewer bytes left than minBytes")),
                fallbacks.toString());
    }
}
