package zc.cli;

/** A failure to report to the user as one line, with the exit status that says what kind it is. */
public class ZcException extends RuntimeException {
    private final int exitCode;

    public ZcException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
