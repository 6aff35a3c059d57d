package zc.agent.containers.jetty;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import zc.agent.containers.Members;

/**
 * Jetty 12's ee10 servlet {@code HttpOutput}. Its {@code write(ByteBuffer)} always bypasses the aggregate buffer
 * (after writing out what that holds), counts {@code _written}, finds the last write by Content-Length and blocks on
 * {@code ServletChannel.getResponse().write}; under it, {@link JettyPath} checks the core response.
 */
record Jetty12Output(OutputStream out, Object servletChannel) implements JettyOutput {

    static Object sink(OutputStream out) throws Throwable {
        JettyMappedSink.requireWriteByteBuffer(out);
        if (Members.get(out, "_writeListener") != null) {
            return "non-blocking servlet output (a WriteListener is set)";
        }
        Object channel = Members.get(out, "_servletChannel");
        String why = JettyPath.unread(Members.call(channel, "getResponse"));
        return why != null ? why : JettyMappedSink.of(out, new Jetty12Output(out, channel));
    }

    @Override
    public boolean mayBypassBuffer(int len) throws Throwable {
        return JettyBuffer.mayBypass(out, Members.call(servletChannel, "getResponse"), len);
    }

    @Override
    public void write(ByteBuffer window) throws Throwable {
        JettyMappedSink.writeByteBuffer(out, window);
    }
}
