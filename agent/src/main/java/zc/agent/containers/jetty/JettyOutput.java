package zc.agent.containers.jetty;

import java.nio.ByteBuffer;

/** One Jetty response stream, as {@link JettyMappedSink} drives it. */
interface JettyOutput {

    /**
     * Whether a window of {@code len} bytes may go now: the loop's own writes would also have left Jetty's buffer by
     * then (the response is committed, or the bytes do not fit what is left of its buffer). Otherwise the loop's
     * chunks could still end in the buffer and be sent at close with a Content-Length Jetty computes, where a
     * window written now commits the response chunked.
     */
    boolean mayBypassBuffer(int len) throws Throwable;

    /** Writes the whole window through Jetty, blocking as the stream's own writes do. */
    void write(ByteBuffer window) throws Throwable;
}
