package zc.session.run;

/** A run that could not be measured; the message is for the user, one line. */
public final class RunFailure extends Exception {
    public RunFailure(String message) {
        super(message);
    }
}
