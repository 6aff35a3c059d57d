package zc.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jacoco.core.data.ExecutionData;
import org.jacoco.core.data.ExecutionDataReader;
import org.jacoco.core.data.ExecutionDataStore;
import org.jacoco.core.data.SessionInfoStore;

/**
 * JaCoCo's agent does its job: at exit, jacoco.exec holds the app's class with probes that ran. It instruments the
 * app's classes before zc sees them, whatever the order of the options (it transforms without retransformation, and
 * the JVM runs such transformers first): its probes in a copy loop make zc decline the loop, and say so.
 */
final class Coverage implements OtherAgent {
    static final String PROBES = "JaCoCo's coverage probes are in the loop body (JaCoCo instrumented the class "
            + "before zc saw it): a rewrite would skip them and lose the loop's coverage";

    private final Path exec;
    private final TestApp app;

    Coverage(Path exec, TestApp app) {
        this.exec = exec;
        this.app = app;
    }

    @Override
    public List<String> jvmOptions() {
        return List.of("-javaagent:" + Jars.jacoco() + "=destfile=" + exec);
    }

    /** A loop zc rewrites in an app class carries JaCoCo's probes; a helper call has none in its way. */
    @Override
    public TestApp.Outcome zcBesideMe(TestApp app, TestApp.Outcome withoutMe) {
        return app.copySiteIsLoop() && withoutMe.status().equals("rewritten")
                ? new TestApp.Outcome("declined", PROBES, 0) : withoutMe;
    }

    @Override
    public void afterExit(AppRun run) throws IOException {
        assertTrue(Files.isRegularFile(exec), "no " + exec + "; stderr: " + run.stderr());
        ExecutionDataStore store = new ExecutionDataStore();
        try (InputStream in = Files.newInputStream(exec)) {
            ExecutionDataReader reader = new ExecutionDataReader(in);
            reader.setExecutionDataVisitor(store);
            reader.setSessionInfoVisitor(new SessionInfoStore());
            reader.read();
        }
        List<String> classes = new ArrayList<>();
        for (ExecutionData data : store.getContents()) {
            if (data.getName().equals(app.coveredClass())) {
                assertTrue(data.hasHits(), app.coveredClass() + " recorded without a probe hit");
                return;
            }
            classes.add(data.getName());
        }
        throw new AssertionError(app.coveredClass() + " not in " + exec + ", which has " + classes);
    }
}
