package zc.agent.boot;

/**
 * What the last load of zc into this JVM did, kept in the system property {@value #PROPERTY} as
 * {@code SEQ STATUS: TEXT} (STATUS: loaded, already, refused or failed) so that {@code zc attach} can read it back
 * through the Attach API ({@code VirtualMachine.getSystemProperties}) and say the truth: the Attach API itself
 * reports success for an agentmain that returns normally, and the agent's own message goes to the target's stderr.
 * SEQ counts the loads, so that the CLI tells this load's outcome from an earlier one.
 */
public final class LoadOutcome {
    public static final String PROPERTY = "zc.agent.load";

    private LoadOutcome() {
    }

    public static void loaded(String text) {
        record("loaded", text);
    }

    public static void already(String text) {
        record("already", text);
    }

    public static void refused(String text) {
        record("refused", text);
    }

    public static void failed(String text) {
        record("failed", text);
    }

    private static synchronized void record(String status, String text) {
        String last = System.getProperty(PROPERTY, "0 ");
        long seq;
        try {
            seq = Long.parseLong(last.substring(0, last.indexOf(' '))) + 1;
        } catch (RuntimeException e) {
            seq = 1; // someone else's value: start again
        }
        System.setProperty(PROPERTY, seq + " " + status + ": " + text.replace('\n', ' '));
    }
}
