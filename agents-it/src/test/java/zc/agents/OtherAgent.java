package zc.agents;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Another agent loaded beside zc in one run: its command-line options, and the checks that it did its own job
 * (while the app serves, and after it exited).
 */
interface OtherAgent {
    List<String> jvmOptions() throws IOException;

    /** After the downloads, before the app is stopped. */
    default void whileServing(AppRun run) throws Exception {
    }

    /** After the app exited (its shutdown hooks have run). */
    void afterExit(AppRun run) throws Exception;

    /** What zc does with the app's copy site beside this agent, given what it does without it. */
    default TestApp.Outcome zcBesideMe(TestApp app, TestApp.Outcome withoutMe) {
        return withoutMe;
    }

    /** The four agents of the matrix. */
    enum Kind {
        OPENTELEMETRY, PROMETHEUS, JACOCO, ASYNC_PROFILER;

        OtherAgent create(Path dir, TestApp app) throws IOException {
            return switch (this) {
                case OPENTELEMETRY -> new Spans(app);
                case PROMETHEUS -> new Scrape(new Prometheus());
                case JACOCO -> new Coverage(dir.resolve("jacoco.exec"), app);
                case ASYNC_PROFILER -> new Profile(dir.resolve("profile.collapsed"), app);
            };
        }
    }
}
