package zc.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Jdk;

/**
 * zc's MBean scraped by the Prometheus JMX exporter's java agent (the jar from Maven Central) with the shipped
 * docs/metrics/zc-prometheus.yaml: zc's counters are on /metrics, with Prometheus names and types, while a download
 * runs and after it, equal to what zc's statistics file says at exit; in mode=observe, the site counted as observed.
 */
class PrometheusMetricsIT {
    private static final TestApp APP = new StaticFileApp();

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
    void zcCountersAreOnTheMetricsPageWhileADownloadRuns(Jdk jdk) throws Exception {
        Path dir = work.resolve(jdk.toString());
        Path out = dir.resolve("zc");
        Prometheus prometheus = new Prometheus();
        try (AppRun run = AppRun.start(jdk, List.of(prometheus.jvmOption(), AppRun.zcAgent(out)), APP, root, out)) {
            prometheus.awaitZc();
            run.download("one.bin", dir.resolve("one.bin"));
            long first = run.served();
            PrometheusPage[] midway = new PrometheusPage[1];
            run.download("big.bin", dir.resolve("big.bin"), () -> midway[0] = prometheus.scrape());
            PrometheusPage after = prometheus.scrape();

            double during = midway[0].value("zc_bytes_total{path=\"sendfile\"}");
            assertTrue(during >= first && during <= run.served(), "sendfile bytes while big.bin was on its way: "
                    + during + ", before it " + first);
            assertEquals(2, midway[0].value("zc_copy_calls_total"), "calls while big.bin was on its way");

            assertEquals("counter", after.types().get("zc_bytes_total"), after.text());
            assertEquals("counter", after.types().get("zc_copy_calls_total"), after.text());
            assertEquals("counter", after.types().get("zc_fallbacks_total"), after.text());
            assertEquals("counter", after.types().get("zc_errors_total"), after.text());
            assertEquals("gauge", after.types().get("zc_call_sites"), after.text());
            assertEquals(run.served(), (long) after.value("zc_bytes_total{path=\"sendfile\"}"));
            for (String path : List.of("mmap", "direct", "loop")) {
                assertEquals(0, after.value("zc_bytes_total{path=\"" + path + "\"}"), path);
            }
            assertEquals(2, after.value("zc_copy_calls_total"));
            assertEquals(0, after.value("zc_fallbacks_total"));
            assertEquals(0, after.value("zc_errors_total"));
            assertEquals(0, after.value("zc_would_move_bytes_total"));
            assertEquals(1, after.value("zc_call_sites{status=\"rewritten\"}"));
            assertEquals(0, after.value("zc_call_sites{status=\"declined\"}"));
            assertEquals(0, after.value("zc_call_sites{status=\"observed\"}"));
            assertTrue(after.samples().keySet().stream().noneMatch(s -> s.startsWith("zc_Agent")),
                    "an attribute without a rule: " + after.text());

            run.stop();
            assertEquals(APP.expected(run.served()), run.zcOutcome(), "the statistics file says the same");
        }
    }

    /**
     * mode=observe: the site is counted as observed, its calls and bytes as the original code's, and the bytes as
     * what a rewrite would move; none goes zero-copy.
     */
    @Test
    void observeModeCountsTheSiteAndMovesNothing() throws Exception {
        Jdk jdk = Jdk.installed().get(0);
        Path dir = work.resolve("observe");
        Path out = dir.resolve("zc");
        Prometheus prometheus = new Prometheus();
        try (AppRun run = AppRun.start(jdk, List.of(prometheus.jvmOption(), AppRun.zcAgent(out) + ",mode=observe"),
                APP, root, out)) {
            prometheus.awaitZc();
            run.downloadAll(dir.resolve("got"));
            PrometheusPage page = prometheus.scrape();
            assertEquals(1, page.value("zc_call_sites{status=\"observed\"}"));
            assertEquals(0, page.value("zc_call_sites{status=\"rewritten\"}"));
            assertEquals(0, page.value("zc_bytes_total{path=\"sendfile\"}"));
            assertEquals(run.served(), (long) page.value("zc_bytes_total{path=\"loop\"}"));
            assertEquals(run.served(), (long) page.value("zc_would_move_bytes_total"));
            assertEquals(2, page.value("zc_copy_calls_total"));
            run.stop();
            assertEquals(new TestApp.Outcome("observed", null, 0), run.zcOutcome());
        }
    }
}
