package zc.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;

/** The Prometheus JMX exporter's java agent with zc's rule file, on a port of its own. */
final class Prometheus {
    private final int port;

    Prometheus() throws IOException {
        // the exporter takes a port number, not 0: a free one, as the kernel just gave it
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    String jvmOption() {
        return "-javaagent:" + Jars.jmxExporter() + "=127.0.0.1:" + port + ":"
                + Jars.metricsRules("zc-prometheus.yaml");
    }

    PrometheusPage scrape() throws Exception {
        return PrometheusPage.scrape(port);
    }

    /** Waits for zc's MBean on the page: zc registers it one second after start-up, off the start-up path. */
    PrometheusPage awaitZc() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            PrometheusPage page = scrape();
            if (page.samples().containsKey("zc_bytes_total{path=\"sendfile\"}")) {
                return page;
            }
            assertTrue(System.nanoTime() < deadline, "no zc metrics within 30 s:\n" + page.text());
            Thread.sleep(200);
        }
    }
}
