package zc.agent.containers.jetty;

import java.io.OutputStream;
import zc.agent.rt.BufferedFlush;
import zc.agent.rt.SinkFamily;

/**
 * Eclipse Jetty's response streams: the ee10 servlet {@code HttpOutput} of Jetty 12, the
 * {@code org.eclipse.jetty.server.HttpOutput} of Jetty 9.4, 10 and 11, and Jetty 12's core
 * {@code ContentSinkOutputStream} ({@code Content.Sink.asOutputStream}) over a response. The bytes go as mapped
 * windows of the file through Jetty's own {@code write(ByteBuffer)}, only where Jetty hands that buffer to the
 * kernel unread (see {@link JettyPath}).
 */
public final class JettySinks implements SinkFamily {
    static final String EE10_OUTPUT = "org.eclipse.jetty.ee10.servlet.HttpOutput";
    static final String SERVER_OUTPUT = "org.eclipse.jetty.server.HttpOutput";
    static final String CORE_OUTPUT = "org.eclipse.jetty.io.content.ContentSinkOutputStream";

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        String name = out.getClass().getName();
        if (!name.equals(EE10_OUTPUT) && !name.equals(SERVER_OUTPUT) && !name.equals(CORE_OUTPUT)) {
            return null;
        }
        if (flush != BufferedFlush.NONE) {
            // BufferedOutputStream.flush() flushes the HttpOutput too, which commits the response (chunked) where
            // the loop's writes may have left a small body in Jetty's buffer to be sent with a Content-Length
            return "a BufferedOutputStream around Jetty's " + name + ": its flush would commit the response early";
        }
        return switch (name) {
            case EE10_OUTPUT -> Jetty12Output.sink(out);
            case SERVER_OUTPUT -> Jetty9Output.sink(out);
            default -> JettyCoreOutput.sink(out);
        };
    }
}
