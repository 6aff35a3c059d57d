package zc.agent.rt;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;

/**
 * The JDK's HTTP server ({@code com.sun.net.httpserver}, module jdk.httpserver), JDK 17 and later. The stream a
 * handler gets from {@code exchange.getResponseBody()} is {@code sun.net.httpserver.PlaceholderOutputStream}; once
 * the headers are sent, its {@code wrapped} stream frames the body: {@code FixedLengthOutputStream} (a
 * Content-Length: it takes at most {@code remaining} bytes and counts them down), {@code ChunkedOutputStream}
 * (length 0: chunked) or {@code UndefLengthOutputStream} (HTTP/1.0). Under it, on JDK 25 the connection's
 * {@code BufferedOutputStream} (holding the headers until flushed), and {@code Request$WriteStream}, which writes
 * to the connection's blocking SocketChannel; HTTPS has {@code SSLStreams$OutputStream} there instead. zc takes
 * only the fixed-length plaintext chain; the classes are recognised by name, exactly (the same names and fields in
 * JDK 17 and 25). A filter that replaced the stream ({@code setStreams}) hands the copy its own stream, which no
 * family knows: declined.
 */
final class JdkHttpSinks implements SinkFamily {
    private static final String PACKAGE = "sun.net.httpserver.";

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        String name = out.getClass().getName();
        if (!name.startsWith(PACKAGE)) {
            return null;
        }
        OutputStream body = name.equals(PACKAGE + "PlaceholderOutputStream")
                ? (OutputStream) JdkAccess.field(out, "wrapped") : out;
        if (body == null) {
            return "JDK httpserver: response headers not sent yet";
        }
        switch (body.getClass().getName()) {
            case PACKAGE + "FixedLengthOutputStream":
                break;
            case PACKAGE + "ChunkedOutputStream":
                return "JDK httpserver: chunked response (zc does not write chunk framing)";
            case PACKAGE + "UndefLengthOutputStream":
                return "JDK httpserver: HTTP/1.0 response without a length";
            default:
                return "JDK httpserver: response stream " + body.getClass().getName();
        }
        if (JdkAccess.flag(body, "closed")) {
            return "JDK httpserver: response body closed";
        }
        // JDK 25 buffers the connection (ServerImpl: new BufferedOutputStream(rawout)); JDK 17 writes to it directly
        OutputStream exchangeBuffer = JdkAccess.inner((FilterOutputStream) body);
        OutputStream connection = exchangeBuffer != null && exchangeBuffer.getClass() == BufferedOutputStream.class
                ? JdkAccess.inner((FilterOutputStream) exchangeBuffer) : exchangeBuffer;
        String connectionClass = Plan.name(connection);
        if (connectionClass.equals(PACKAGE + "SSLStreams$OutputStream")) {
            return "JDK httpserver: HTTPS, the bytes must be encrypted";
        }
        if (!connectionClass.equals(PACKAGE + "Request$WriteStream")) {
            return "JDK httpserver: connection stream " + connectionClass;
        }
        if (JdkAccess.flag(connection, "closed")) {
            return "JDK httpserver: connection stream closed";
        }
        Object channel = JdkAccess.field(connection, "channel");
        if (!(channel instanceof SocketChannel sc) || !channel.getClass().getName().equals("sun.nio.ch.SocketChannelImpl")) {
            return "JDK httpserver: connection channel " + Plan.name(channel);
        }
        if (!sc.isBlocking()) {
            return "socket channel in non-blocking mode";
        }
        if (Thread.currentThread().isInterrupted()) {
            return "interrupted thread: the channel would be closed by the interrupt";
        }
        String unavailable = JdkHttpSink.unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        return new JdkHttpSink(out, body, exchangeBuffer, connection, sc, flush);
    }
}
