package zc.agent.containers.jetty;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import zc.agent.containers.Members;

/**
 * Jetty 12 core's {@code ContentSinkOutputStream} ({@code Content.Sink.asOutputStream(response)}). It has no buffer
 * and no {@code write(ByteBuffer)}: each write is {@code sink.write(false, buffer, callback)} blocked on its shared
 * {@code Blocker}, failures through its {@code handleException} (the first as is, later ones wrapped). A window goes
 * the same way, with the same blocker and failure handling, when the sink is a response {@link JettyPath} accepts.
 */
record JettyCoreOutput(OutputStream out, Object sink) implements JettyOutput {

    static Object sink(OutputStream out) throws Throwable {
        Object sink = Members.get(out, "sink");
        String why = JettyPath.unread(sink);
        if (why != null) {
            return why;
        }
        Members.get(out, "_blocking");
        Members.require(out, "handleException", 1);
        return JettyMappedSink.of(out, new JettyCoreOutput(out, sink));
    }

    @Override
    public boolean mayBypassBuffer(int len) {
        return true; // every write of this stream goes to the sink at once
    }

    @Override
    public void write(ByteBuffer window) throws Throwable {
        try {
            Object callback = Members.call(Members.get(out, "_blocking"), "callback");
            try {
                Members.call(sink, "write", false, window, callback);
                Members.call(callback, "block");
            } finally {
                Members.call(callback, "close");
            }
        } catch (ReflectiveOperationException e) {
            throw e;
        } catch (Throwable x) {
            Members.call(out, "handleException", x);
        }
    }
}
