package zc.session.run;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * When the application is ready for the workload: a TCP port accepts connections, or a line of its output
 * matches; neither for an application that runs to completion.
 */
public record Readiness(Integer port, Pattern logLine, Duration timeout) {

    public boolean needed() {
        return port != null || logLine != null;
    }
}
