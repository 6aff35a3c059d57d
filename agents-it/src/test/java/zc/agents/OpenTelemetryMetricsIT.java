package zc.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Jdk;

/**
 * zc's MBean read by the OpenTelemetry Java agent's JMX metrics (the jar from Maven Central) with the shipped
 * docs/metrics/zc-otel-jmx.yaml: the metrics reach its logging exporter with semantic-convention names, units and
 * kinds, and the values zc's statistics file has at exit.
 */
class OpenTelemetryMetricsIT {
    private static final TestApp APP = new StaticFileApp();
    private static final String SENDFILE = "zc.io.bytes{zc.io.path=\"sendfile\"}";

    @TempDir
    static Path work;
    static Path root;

    @BeforeAll
    static void files() throws Exception {
        root = ServedFiles.write(work.resolve("www"));
    }

    static List<Jdk> jdks() {
        return Jdk.installed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void zcMetricsReachTheLoggingExporter(Jdk jdk) throws Exception {
        Path dir = work.resolve(jdk.toString());
        Path out = dir.resolve("zc");
        List<String> options = new ArrayList<>(OpenTelemetry.jvmOptions(APP));
        options.add(AppRun.zcAgent(out));
        try (AppRun run = AppRun.start(jdk, options, APP, root, out)) {
            run.downloadAll(dir.resolve("got"));
            long served = run.served();
            OtelExport export = OpenTelemetry.await(run, e -> Long.valueOf(served).equals(e.point(SENDFILE)),
                    SENDFILE + " = " + served);

            assertEquals("By", export.units().get("zc.io.bytes"));
            assertEquals("LONG_SUM", export.types().get("zc.io.bytes"));
            for (String path : List.of("mmap", "direct", "loop")) {
                assertEquals(0L, export.point("zc.io.bytes{zc.io.path=\"" + path + "\"}"), path);
            }
            assertEquals("{call}", export.units().get("zc.copy.calls"));
            assertEquals(2L, export.point("zc.copy.calls{}"));
            assertEquals("{call}", export.units().get("zc.copy.fallbacks"));
            assertEquals(0L, export.point("zc.copy.fallbacks{}"));
            assertEquals("By", export.units().get("zc.would_move.bytes"));
            assertEquals(0L, export.point("zc.would_move.bytes{}"));
            assertEquals("{error}", export.units().get("zc.errors"));
            assertEquals(0L, export.point("zc.errors{}"));
            assertEquals("{call_site}", export.units().get("zc.call_site.count"));
            assertEquals(1L, export.point("zc.call_site.count{zc.call_site.status=\"rewritten\"}"));
            assertEquals(0L, export.point("zc.call_site.count{zc.call_site.status=\"observed\"}"));
            assertEquals(0L, export.point("zc.call_site.count{zc.call_site.status=\"declined\"}"));

            run.stop();
            assertEquals(APP.expected(served), run.zcOutcome(), "the statistics file says the same");
        }
    }
}
