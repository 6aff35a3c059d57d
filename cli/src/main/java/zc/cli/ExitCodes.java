package zc.cli;

/** Exit statuses of every zc command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The command ran and found a failure: an integrity mismatch, a demo JVM that failed. */
    public static final int FAILED = 1;
    /** Bad options or arguments; nothing ran. */
    public static final int USAGE = 2;
    /** This machine cannot run the command (not Linux, no room, a tool missing). */
    public static final int UNSUPPORTED = 3;

    private ExitCodes() {
    }
}
