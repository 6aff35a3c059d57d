package zc.agent.stats;

/**
 * A copy loop the agent found, identified by where it is in the application's code.
 *
 * @param className  dotted class name
 * @param method     method name and descriptor
 * @param line       source line of the loop's read, or -1 without debug information
 * @param shape      the loop as source, e.g. {@code while ((n = in.read(buf)) != -1) out.write(buf, 0, n)}
 * @param rewritten  true when the loop now calls the dispatcher
 * @param reason     why it was left alone; null when rewritten
 */
public record CallSite(String className, String method, int line, String shape, boolean rewritten, String reason) {

    public String where() {
        return className + "." + method.substring(0, method.indexOf('(')) + (line >= 0 ? ":" + line : "");
    }
}
