package zc.agent.containers.jetty;

import zc.agent.containers.Members;

/**
 * What lies under a Jetty 12 core response, checked before a mapped window may go: the response wrapped only by the
 * context wrappers that pass content through untouched ({@code ContextResponse} and the ee10
 * {@code ServletContextResponse}, which only re-enter the context for the callback), Jetty's own
 * {@code HttpChannelState$ChannelResponse} (it counts the bytes and checks them against Content-Length), an HTTP/1
 * stream ({@code HttpConnection$HttpStreamOverHTTP1}), wrapped at most by {@code CompletionStreamWrapper}s, whose {@code SendCallback} hands header,
 * chunk header and content to {@code EndPoint.write} as separate buffers ({@code HttpGenerator} reads only their
 * lengths; HEAD clears the content unread), and a plain {@code SocketChannelEndPoint}, whose flush is a gathering
 * {@code SocketChannel.write} (a direct buffer goes to the kernel without a copy). Anything else may read the
 * mapping from Java code: GzipHandler's response (a Deflater reads it), TLS ({@code SslConnection} encrypts it),
 * HTTP/2 and HTTP/3 framing (not checked by zc), any other wrapper.
 */
final class JettyPath {
    private static final String CONTEXT_RESPONSE = "org.eclipse.jetty.server.handler.ContextResponse";
    private static final String SERVLET_RESPONSE = "org.eclipse.jetty.ee10.servlet.ServletContextResponse";
    private static final String CHANNEL_RESPONSE = "org.eclipse.jetty.server.internal.HttpChannelState$ChannelResponse";
    private static final String HTTP1_STREAM = "org.eclipse.jetty.server.internal.HttpConnection$HttpStreamOverHTTP1";
    /** Request.addCompletionListener's wrapper: it calls listeners on completion and passes send() through. */
    private static final String COMPLETION_STREAM = "org.eclipse.jetty.server.internal.CompletionStreamWrapper";
    static final String PLAIN_ENDPOINT = "org.eclipse.jetty.io.SocketChannelEndPoint";

    private JettyPath() {
    }

    /** Null when the core response {@code response} passes a buffer to the kernel unread; otherwise why not. */
    static String unread(Object response) throws Throwable {
        Object r = response;
        while (r.getClass().getName().equals(SERVLET_RESPONSE) || r.getClass().getName().equals(CONTEXT_RESPONSE)) {
            r = Members.call(r, "getWrapped");
        }
        String name = r.getClass().getName();
        if (!name.equals(CHANNEL_RESPONSE)) {
            return name.contains("Gzip") || name.contains("Compression")
                    ? "Jetty's response is compressed (" + name + " reads the bytes)"
                    : "Jetty's response is wrapped by " + name + ", which may read or change the bytes";
        }
        Object request = Members.call(r, "getRequest");
        String head = head(request);
        if (head != null) {
            return head;
        }
        Object channelState = Members.call(request, "getComponents");
        Object stream = Members.call(channelState, "getHttpStream");
        while (stream != null && stream.getClass().getName().equals(COMPLETION_STREAM)) {
            stream = Members.call(stream, "getWrapped");
        }
        if (stream == null) {
            return "Jetty's response has no stream (completed)";
        }
        String streamName = stream.getClass().getName();
        if (!streamName.equals(HTTP1_STREAM)) {
            return streamName.contains("HTTP2") || streamName.contains("HTTP3")
                    ? "HTTP/2 or HTTP/3 stream (" + streamName + "): zc writes mapped windows only through Jetty's "
                        + "HTTP/1.1 connection, which sends them unread"
                    : "Jetty's HTTP stream is wrapped by " + streamName + ", which may read the bytes";
        }
        Object connection = Members.call(r, "getRequest");
        Object endPoint = Members.call(Members.call(Members.call(connection, "getConnectionMetaData"),
                "getConnection"), "getEndPoint");
        return endPoint(endPoint);
    }

    /**
     * Why a HEAD request keeps the loop, or null for another method. Jetty takes a HEAD response's writes and sends
     * none of their bytes (HttpGenerator drops the content of a HEAD response unread, in 12 as in 9.4, 10 and 11):
     * a mapped window would be counted as bytes moved where nothing goes on the wire.
     */
    static String head(Object request) throws Throwable {
        return "HEAD".equals(Members.call(request, "getMethod"))
                ? "HEAD request: Jetty sends no body (its HttpGenerator drops the content)" : null;
    }

    /** Null for a plain socket endpoint; otherwise why not (TLS first). */
    static String endPoint(Object endPoint) {
        String name = endPoint.getClass().getName();
        if (name.startsWith("org.eclipse.jetty.io.ssl.SslConnection$")) {
            return "TLS (" + name + " encrypts the bytes in Java code)";
        }
        if (!name.equals(PLAIN_ENDPOINT)) {
            return "Jetty endpoint " + name + " (only a plain SocketChannelEndPoint writes the buffer unread)";
        }
        return null;
    }
}
