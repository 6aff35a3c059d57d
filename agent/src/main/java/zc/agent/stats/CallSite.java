package zc.agent.stats;

/**
 * A copy loop the agent found, identified by where it is in the application's code.
 *
 * @param className  dotted class name
 * @param method     method name and descriptor
 * @param line       source line of the loop's read, or -1 without debug information
 * @param shape      the loop as source, e.g. {@code while ((n = in.read(buf)) != -1) out.write(buf, 0, n)}
 * @param status     what the agent did with it
 * @param reason     why it was left alone; null unless declined
 */
public record CallSite(String className, String method, int line, String shape, Status status, String reason) {

    /** rewritten: the loop calls the dispatcher, which goes zero-copy where it can; observed (mode=observe): it
     * could be rewritten, and is left as written; declined: it cannot be, for the reason given. */
    public enum Status {
        REWRITTEN, OBSERVED, DECLINED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean rewritten() {
        return status == Status.REWRITTEN;
    }

    public String where() {
        return className + "." + method.substring(0, method.indexOf('(')) + (line >= 0 ? ":" + line : "");
    }
}
