package zc.agent.containers.jetty;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import zc.agent.containers.Members;

/** What an HttpOutput (9.4-12) holds in its aggregate buffer, and whether a window must wait for the loop. */
final class JettyBuffer {

    private JettyBuffer() {
    }

    /**
     * True when the response ({@code isCommitted()}) is committed or {@code len} bytes do not fit beside what the
     * aggregate buffer of {@code out} holds ({@code _aggregate}: a ByteBuffer in 9.4-11, a RetainableByteBuffer in 12).
     */
    static boolean mayBypass(OutputStream out, Object response, int len) throws Throwable {
        if ((boolean) Members.call(response, "isCommitted")) {
            return true;
        }
        Object aggregate = Members.get(out, "_aggregate");
        long held = aggregate == null ? 0
                : aggregate instanceof ByteBuffer b ? b.remaining()
                : ((Number) Members.call(aggregate, "remaining")).longValue();
        return held + len > (int) Members.call(out, "getBufferSize");
    }
}
