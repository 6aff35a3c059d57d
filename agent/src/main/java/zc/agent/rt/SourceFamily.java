package zc.agent.rt;

import java.io.InputStream;

/**
 * One kind of file source: a FileInputStream (or a subclass that reads as one), the JDK's stream on a FileChannel
 * ({@code Files.newInputStream}). A family recognises its streams by their exact class, checks the real object, and
 * gives the file channel the copy reads from. {@link Sources} asks each family in turn.
 */
interface SourceFamily {

    /**
     * Resolves {@code in}: a {@link FileSource}, a String saying why this family's stream must keep the original
     * code (shown to users: it must be true), or null when {@code in} is not of this family. A file smaller than
     * {@code minBytes} is declined before anything but its fstat.
     */
    Object source(InputStream in, long minBytes) throws Throwable;
}
