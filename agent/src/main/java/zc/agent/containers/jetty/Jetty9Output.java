package zc.agent.containers.jetty;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Collection;
import zc.agent.containers.Members;

/**
 * The {@code org.eclipse.jetty.server.HttpOutput} of Jetty 9.4, 10 and 11. Its {@code write(ByteBuffer)} always
 * bypasses the aggregate buffer (after writing out what that holds) and goes to its interceptor chain, whose last
 * link is the {@code HttpChannel}; for plain HTTP/1.1 that is {@code HttpChannelOverHttp}, whose
 * {@code HttpConnection.SendCallback} hands header, chunk header and content to {@code EndPoint.write} as separate
 * buffers ({@code HttpGenerator} reads only their lengths; HEAD clears the content unread). Declined: any
 * interceptor (GzipHandler's {@code GzipHttpOutputInterceptor} deflates the bytes), HTTP/2, TLS, and
 * {@code HttpChannel.Listener}s, which Jetty hands every written buffer ({@code onResponseContent}).
 */
record Jetty9Output(OutputStream out, Object channel) implements JettyOutput {
    private static final String HTTP1_CHANNEL = "org.eclipse.jetty.server.HttpChannelOverHttp";

    static Object sink(OutputStream out) throws Throwable {
        JettyMappedSink.requireWriteByteBuffer(out);
        if (Members.get(out, "_writeListener") != null) {
            return "non-blocking servlet output (a WriteListener is set)";
        }
        Object channel = Members.get(out, "_channel");
        Object interceptor = Members.call(out, "getInterceptor");
        if (interceptor != channel) {
            String name = interceptor.getClass().getName();
            return name.contains("Gzip")
                    ? "Jetty's response is compressed (" + name + " deflates the bytes)"
                    : "a Jetty output interceptor (" + name + ") may read or change the bytes";
        }
        String name = channel.getClass().getName();
        if (!name.equals(HTTP1_CHANNEL)) {
            return name.contains("HTTP2")
                    ? "HTTP/2 stream (" + name + "): zc writes mapped windows only through Jetty's HTTP/1.1 "
                        + "connection, which sends them unread"
                    : "Jetty channel " + name + " (only HttpChannelOverHttp, plain HTTP/1.1, is checked)";
        }
        String why = JettyPath.head(Members.call(channel, "getRequest"));
        if (why != null) {
            return why;
        }
        why = JettyPath.endPoint(Members.call(channel, "getEndPoint"));
        if (why != null) {
            return why;
        }
        if (!Members.hasField(channel, "_combinedListener") || !Members.hasField(channel, "NOOP_LISTENER")) {
            return "Jetty " + name + " without the listener fields zc checks (_combinedListener, NOOP_LISTENER)";
        }
        if (!listeners(channel)) {
            return "HttpChannel.Listener beans on the connector (Jetty hands them every buffer written)";
        }
        return JettyMappedSink.of(out, new Jetty9Output(out, channel));
    }

    /** False when the connector or the channel has listeners that Jetty calls with each content buffer. */
    private static boolean listeners(Object channel) throws Throwable {
        Object combined = Members.get(channel, "_combinedListener");
        Object noop = Members.get(channel, "NOOP_LISTENER");
        if (combined != noop) {
            return false;
        }
        if (Members.hasField(channel, "_transientListeners")) { // 9.4 only
            return ((Collection<?>) Members.get(channel, "_transientListeners")).isEmpty();
        }
        return true;
    }

    @Override
    public boolean mayBypassBuffer(int len) throws Throwable {
        return JettyBuffer.mayBypass(out, channel, len);
    }

    @Override
    public void write(ByteBuffer window) throws Throwable {
        JettyMappedSink.writeByteBuffer(out, window);
    }
}
