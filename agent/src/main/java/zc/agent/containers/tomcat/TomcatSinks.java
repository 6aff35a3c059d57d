package zc.agent.containers.tomcat;

import java.io.OutputStream;
import zc.agent.rt.BufferedFlush;
import zc.agent.rt.SinkFamily;

/**
 * Tomcat 10.1 / 11's response stream, exactly {@code org.apache.catalina.connector.CoyoteOutputStream}: sendfile
 * into the connector's socket where Tomcat's own write would go to a plaintext HTTP/1.1 NIO socket. What can be
 * known before the first byte is checked here; what Tomcat decides when it commits the response (the output
 * filters: identity, chunked, gzip, HEAD) is checked by {@link TomcatSink} on every transfer.
 */
public final class TomcatSinks implements SinkFamily {
    static final String STREAM = "org.apache.catalina.connector.CoyoteOutputStream";
    private static final String NIO2_WRAPPER = "org.apache.tomcat.util.net.Nio2Endpoint$Nio2SocketWrapper";
    /**
     * Why Http11Nio2Protocol keeps the loop. Its own buffer path is no zero-copy path: a blocking write of any
     * ByteBuffer, however large or direct, goes through SocketWrapperBase.writeBlocking(ByteBuffer), which copies it
     * with Java code ({@code transfer}: {@code to.put(from)}) into the 8 KiB socket write buffer before
     * Nio2SocketWrapper.doWrite hands that buffer to the AsynchronousSocketChannel; a mapped window would be read
     * by Java code inside Tomcat (SIGBUS on truncation) and saves no copy. Sendfile would need the descriptor of the
     * AsynchronousSocketChannel behind Tomcat's and the channel's back (its close lock, its pending-write state).
     */
    static final String NIO2 = "Tomcat NIO2 connector: its blocking write copies every buffer with Java code into "
            + "its 8 KiB socket buffer (SocketWrapperBase.writeBlocking), a mapped window too, and its "
            + "AsynchronousSocketChannel is written only by Tomcat";

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        if (!out.getClass().getName().equals(STREAM)) {
            return null;
        }
        if (flush != BufferedFlush.NONE) {
            return "CoyoteOutputStream inside a buffering wrapper";
        }
        Object found = TomcatAccess.of(out.getClass());
        if (found instanceof String why) {
            return why;
        }
        TomcatAccess tomcat = (TomcatAccess) found;
        Object ob = tomcat.outputBuffer(out);
        if (ob == null) {
            return "Tomcat response stream already recycled";
        }
        if (!tomcat.blocking(ob)) {
            return "Tomcat non-blocking servlet output (WriteListener): writes must not wait";
        }
        Object coyote = tomcat.coyoteResponse(ob);
        Object protocol = tomcat.protocolBuffer(coyote);
        if (protocol == null || protocol.getClass() != tomcat.http11OutputBuffer) {
            return "Tomcat response over " + (protocol == null ? "no protocol" : protocol.getClass().getName())
                    + ", not HTTP/1.1 (HTTP/2 frames the bytes)";
        }
        Object wrapper = tomcat.socketWrapper(protocol);
        if (wrapper == null || wrapper.getClass() != tomcat.nioSocketWrapper) {
            return wrapper != null && wrapper.getClass().getName().equals(NIO2_WRAPPER) ? NIO2
                    : "Tomcat connector " + (wrapper == null ? "without a socket" : wrapper.getClass().getName())
                        + ": only the NIO connector's socket is written by sendfile";
        }
        Object channel = tomcat.channel(wrapper);
        if (channel == null || channel.getClass() != tomcat.nioChannel) {
            return "Tomcat TLS connection (" + (channel == null ? "no channel" : channel.getClass().getName())
                    + "): the bytes must be encrypted";
        }
        if (!(tomcat.ioChannel(channel).getLocalAddress() instanceof java.net.InetSocketAddress)) {
            return "Tomcat connector on a Unix domain socket";
        }
        return new TomcatSink(out, tomcat, ob, coyote, protocol, wrapper);
    }
}
