package zc.agents;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * The OpenTelemetry Java agent does its job: spans for every request, printed by its logging exporter, among them
 * the copy method's, whose advice wraps the loop zc rewrites. zc leaves the agent's own code alone (its ByteBuddy
 * and ASM have copy loops of their own).
 */
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
        for (String name : app.spanNames()) {
            OpenTelemetry.await(run, e -> e.spans().stream().filter(name::equals).count() >= requests,
                    requests + " spans " + name);
        }
    }

    @Override
    public void afterExit(AppRun run) throws IOException {
        for (JsonNode site : run.zcStats().get("sites")) {
            String type = site.get("class").asText();
            assertFalse(type.startsWith("net.bytebuddy.") || type.startsWith("org.objectweb.asm.")
                    || type.startsWith("io.opentelemetry."), "zc took a copy site in the agent's code: " + site);
        }
    }
}
