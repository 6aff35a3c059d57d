package zc.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code -javaagent:zc-agent.jar}. For now the agent loads and installs nothing: the copy-loop
 * rewriting is issue #3. It already follows the rule every later layer keeps: nothing escapes into the application.
 */
public final class ZcAgent {
    private ZcAgent() {
    }

    public static void premain(String options, Instrumentation inst) {
        start(options, inst);
    }

    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst);
    }

    private static void start(String options, Instrumentation inst) {
        // Intentionally empty until the matcher and dispatcher land.
    }
}
