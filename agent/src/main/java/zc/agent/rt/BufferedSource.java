package zc.agent.rt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * An exact BufferedInputStream around a file stream {@link Sources} takes (a FileInputStream, Files.newInputStream's
 * channel stream): its buffered bytes are written first, then the file carries on from where the buffer's reads left
 * it. A stream with a mark keeps its buffer: declined.
 */
final class BufferedSource {
    private BufferedSource() {
    }

    /** Why this BufferedInputStream cannot be drained and bypassed, or null. */
    static String unfit(BufferedInputStream in) throws Throwable {
        if (JdkAccess.unavailable() != null) {
            return JdkAccess.unavailable();
        }
        if (JdkAccess.bufferedUnavailable() != null) {
            return JdkAccess.bufferedUnavailable();
        }
        if (JdkAccess.bufferedMarkPos(in) >= 0) {
            return "a mark is set";
        }
        return JdkAccess.innerInput(in) == null ? "source is null" : null; // the inner stream: Sources decides
    }

    static InputStream inner(BufferedInputStream in) throws Throwable {
        return JdkAccess.innerInput(in);
    }

    /** Writes the buffered bytes to {@code out} and empties the buffer; returns how many. */
    static long drain(BufferedInputStream in, OutputStream out) throws Throwable {
        byte[] buf = JdkAccess.bufferedBuf(in);
        int pos = JdkAccess.bufferedPos(in);
        int count = JdkAccess.bufferedCount(in);
        if (buf == null) {
            throw new IOException("Stream closed");
        }
        int avail = count - pos;
        if (avail > 0) {
            out.write(buf, pos, avail);
            JdkAccess.setBufferedPos(in, count);
        }
        return Math.max(0, avail);
    }
}
