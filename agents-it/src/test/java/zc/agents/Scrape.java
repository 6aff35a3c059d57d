package zc.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * The Prometheus JMX exporter does its job: the JVM's own metrics on /metrics, and zc's, equal to what zc's
 * statistics file says at exit.
 */
final class Scrape implements OtherAgent {
    private final Prometheus prometheus;
    private double sendfileBytes = -1;

    Scrape(Prometheus prometheus) {
        this.prometheus = prometheus;
    }

    @Override
    public List<String> jvmOptions() {
        return List.of(prometheus.jvmOption());
    }

    @Override
    public void whileServing(AppRun run) throws Exception {
        PrometheusPage page = prometheus.awaitZc();
        assertTrue(page.samples().keySet().stream().anyMatch(s -> s.startsWith("jvm_memory_used_bytes")),
                "no JVM metrics:\n" + page.text());
        sendfileBytes = page.value("zc_bytes_total{path=\"sendfile\"}");
    }

    @Override
    public void afterExit(AppRun run) throws Exception {
        assertEquals(run.zcOutcome().sendfileBytes(), (long) sendfileBytes, "zc_bytes_total{path=\"sendfile\"}");
    }
}
