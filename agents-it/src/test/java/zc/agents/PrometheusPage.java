package zc.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scrape of the Prometheus JMX exporter's /metrics page (text format 0.0.4): each sample by its series, e.g.
 * {@code zc_bytes_total{path="sendfile"}}, and each family's type from its {@code # TYPE} line.
 */
record PrometheusPage(Map<String, Double> samples, Map<String, String> types, String text) {

    static PrometheusPage scrape(int port) throws Exception {
        HttpResponse<String> r = AppRun.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return parse(r.body());
    }

    static PrometheusPage parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] f = line.split(" ");
                types.put(f[2], f[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return new PrometheusPage(samples, types, text);
    }

    /** The value of a series; fails when the page does not have it. */
    double value(String series) {
        Double v = samples.get(series);
        assertNotNull(v, series + " not on the page:\n" + text);
        return v;
    }
}
