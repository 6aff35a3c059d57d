package zc.demo.harness;

/**
 * The lines a demo JVM prints on stdout for whoever launched it (zc demo, tests, scripts). Everything else on
 * stdout or stderr is free text for humans.
 */
public final class Protocol {
    /** {@code ZC-LISTENING <port>}: the receiver accepts connections. */
    public static final String LISTENING = "ZC-LISTENING ";
    /** {@code ZC-READY}: the sender is connected and waits for a line on stdin (--wait-go) before it starts. */
    public static final String READY = "ZC-READY";
    /** {@code ZC-RESULT <json>}: a {@link RunResult}. */
    public static final String RESULT = "ZC-RESULT ";
    /** {@code ZC-ERROR <one line>}: the run failed; the JVM exits with status 1. */
    public static final String ERROR = "ZC-ERROR ";

    private Protocol() {
    }
}
