package zc.agents;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * An application the tests run under zc and the other agents: how it starts, how it says it is ready, where its
 * files are fetched, and which of its copy sites zc must report. The coexistence matrix is written against this, so
 * that another application (a Spring Boot fat jar) is one more implementation.
 */
interface TestApp {
    String name();

    /** What follows the JVM options: class path and main class, or -jar, and the arguments; serves {@code root}. */
    List<String> command(Path root);

    /** The stdout line that announces the port, up to the number. */
    String readyPrefix();

    URI url(int port, String file);

    /**
     * Methods run on every request, for the OpenTelemetry agent's method spans ({@code Class[m1,m2]}): among them the
     * one with the copy site, so that the agent's advice and zc's rewrite meet in one method; empty for none.
     */
    String tracedMethods();

    /** The span names the OpenTelemetry agent gives {@link #tracedMethods()}. */
    List<String> spanNames();

    /** The class (internal name) whose code JaCoCo must have seen run. */
    String coveredClass();

    /** The class and method (name and descriptor, or name and "(") of the copy site that moves the served files. */
    String copySite();

    /** Whether that site is a copy loop in the app's own code (JaCoCo puts its probes into it), not a helper call. */
    boolean copySiteIsLoop();

    /** What zc does with that site when no other agent is in the way. */
    Outcome expected(long bytesServed);

    /** Asserts that what zc did ({@code actual}) is what it should do ({@code expected}). */
    default void checkZc(Outcome expected, Outcome actual, String context) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual, context);
    }

    /** What zc did with a site, and the bytes its sendfile path moved. */
    record Outcome(String status, String reason, long sendfileBytes) {
    }
}
