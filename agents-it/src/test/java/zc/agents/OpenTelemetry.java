package zc.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The OpenTelemetry Java agent with zc's JMX rule file, its metrics and spans printed by the logging exporters;
 * method spans for the app's methods named by {@link TestApp#tracedMethods()} (the static-file demo speaks HTTP
 * over plain sockets, which the agent has no instrumentation for).
 */
final class OpenTelemetry {
    private OpenTelemetry() {
    }

    static List<String> jvmOptions(TestApp app) {
        List<String> options = new ArrayList<>(List.of("-javaagent:" + Jars.openTelemetry(),
                "-Dotel.jmx.config=" + Jars.metricsRules("zc-otel-jmx.yaml"),
                "-Dotel.service.name=zc-agents-it",
                "-Dotel.metrics.exporter=logging",
                "-Dotel.traces.exporter=logging",
                "-Dotel.logs.exporter=none",
                "-Dotel.metric.export.interval=500",
                "-Dotel.bsp.schedule.delay=200"));
        if (!app.tracedMethods().isEmpty()) {
            options.add("-Dotel.instrumentation.methods.include=" + app.tracedMethods());
        }
        return options;
    }

    /** Waits until what the agent printed satisfies {@code done}; returns it. */
    static OtelExport await(AppRun run, Predicate<OtelExport> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            OtelExport export = OtelExport.parse(run.stderr());
            if (done.test(export)) {
                return export;
            }
            assertTrue(System.nanoTime() < deadline && run.alive(), "no " + what + " within 30 s; exported: "
                    + export.points().keySet() + ", spans " + export.spans());
            Thread.sleep(200);
        }
    }
}
