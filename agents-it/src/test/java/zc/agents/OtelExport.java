package zc.agents;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the OpenTelemetry Java agent's logging exporters printed: metrics ({@code LoggingMetricExporter - metric:
 * ImmutableMetricData{...}}) as the last value of each point, with the metric's unit and type; spans
 * ({@code LoggingSpanExporter - 'name' : trace span kind ...}) by name.
 */
record OtelExport(Map<String, Long> points, Map<String, String> units, Map<String, String> types, List<String> spans) {
    private static final Pattern METRIC = Pattern.compile(
            "LoggingMetricExporter - metric: .*?, name=([^,]+), description=.*?, unit=([^,]*), type=(\\w+), "
                    + "data=(.*)$");
    private static final Pattern POINT = Pattern.compile("attributes=\\{([^}]*)}, value=(-?\\d+)");
    private static final Pattern SPAN = Pattern.compile("LoggingSpanExporter - '([^']+)' : ");

    static OtelExport parse(String log) {
        Map<String, Long> points = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        List<String> spans = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = METRIC.matcher(line);
            if (m.find()) {
                units.put(m.group(1), m.group(2));
                types.put(m.group(1), m.group(3));
                Matcher p = POINT.matcher(m.group(4));
                while (p.find()) {
                    points.put(m.group(1) + "{" + p.group(1) + "}", Long.parseLong(p.group(2)));
                }
            }
            Matcher s = SPAN.matcher(line);
            if (s.find()) {
                spans.add(s.group(1));
            }
        }
        return new OtelExport(points, units, types, spans);
    }

    /** The last exported value of a point, e.g. {@code zc.io.bytes{zc.io.path="sendfile"}}, or null. */
    Long point(String metricAndAttributes) {
        return points.get(metricAndAttributes);
    }
}
