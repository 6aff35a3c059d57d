package zc.agent.rt;

import java.io.OutputStream;

/**
 * One destination family: files, plain sockets, a container's response stream, a framework's wrapper around one.
 * A family recognises its streams by their exact class (by name: container classes are not visible to zc's
 * loader), makes its own checks on the real object, and says how its bytes move. {@link Sinks} asks each family
 * in turn; none of them knows about the others.
 */
public interface SinkFamily {

    /**
     * Resolves {@code out}: a {@link Sink}, a String saying why this family's stream must keep the original code
     * (a true reason: it is shown to users), or null when {@code out} is not of this family. {@code flush} is what
     * the wrappers found around {@code out} so far must flush before the first zero-copy byte. Throwing declines
     * the call ("internal error"), reported once.
     */
    Object sink(OutputStream out, BufferedFlush flush) throws Throwable;
}
