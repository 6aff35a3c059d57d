package zc.agent.containers.helidon;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;
import zc.agent.rt.BufferedFlush;
import zc.agent.rt.Sink;
import zc.agent.rt.SinkFamily;
import zc.agent.rt.Sinks;

/**
 * Helidon 4 SE's HTTP/1.1 response stream ({@code ServerResponse.outputStream()}, what its static-content handler
 * and user handlers write files to): a {@code ClosingBufferedOutputStream} around a {@code BlockingOutputStream},
 * which frames the body and writes it through a {@code SocketWriterDirect} to a {@code NioSocket} (a SocketChannel,
 * Helidon 4.5's default) or a {@code PlainSocket} (a java.net.Socket). Taken when the response has a Content-Length (identity framing: the body's bytes go to the
 * socket as they are), the writer is the direct one (no writer thread with a queue) and the socket plain (not TLS);
 * content encoding (gzip) or an output filter wraps the stream in another class, which is declined as such.
 */
public final class HelidonSinks implements SinkFamily {

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        Class<?> c = out.getClass();
        if (!c.getName().equals(HelidonAccess.CLOSING_STREAM)) {
            return null;
        }
        Object access = HelidonAccess.of(c);
        if (access instanceof String why) {
            return why;
        }
        HelidonAccess helidon = (HelidonAccess) access;
        Object blocking = helidon.blocking(out);
        String unfit = helidon.unfit(blocking);
        if (unfit != null) {
            return unfit;
        }
        Object connection = helidon.socket(blocking);
        if (connection instanceof SSLSocket) {
            return "Helidon TLS socket: the bytes must be encrypted";
        }
        OutputStream stream = connection instanceof Socket socket ? socket.getOutputStream()
                : Channels.newOutputStream((SocketChannel) connection); // the socket sinks take the channel behind it
        Object inner = Sinks.resolve(stream, BufferedFlush.NONE);
        if (inner instanceof String why) {
            return "Helidon's socket: " + why;
        }
        return new HelidonSink(helidon, out, (OutputStream) blocking, (Sink) inner);
    }
}
