package zc.agents;

import java.util.List;

/** The OpenTelemetry Java agent does its job: a span for every request, printed by its logging exporter. */
final class Spans implements OtherAgent {
    private final TestApp app;

    Spans(TestApp app) {
        this.app = app;
    }

    @Override
    public List<String> jvmOptions() {
        return OpenTelemetry.jvmOptions(app);
    }

    @Override
    public void whileServing(AppRun run) throws Exception {
        int requests = ServedFiles.SIZES.size();
        OpenTelemetry.await(run, e -> e.spans().stream().filter(app.spanName()::equals).count() >= requests,
                requests + " spans " + app.spanName());
    }

    @Override
    public void afterExit(AppRun run) {
    }
}
