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
            return "Tomcat connector " + (wrapper == null ? "without a socket" : wrapper.getClass().getName())
                    + ": only the NIO connector's socket is written by sendfile (NIO2 completes its writes on "
                    + "Tomcat's own completion handlers)";
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
