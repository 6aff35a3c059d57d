package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLSocket;

/**
 * Sockets: a plain java.net.Socket's stream (NioSocketImpl, sendfile on its descriptor under its write lock) and
 * the streams of a blocking SocketChannel (the JDK's own transferTo into the channel).
 */
final class SocketSinks implements SinkFamily {

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        if (out.getClass().getName().equals("java.net.Socket$SocketOutputStream")) {
            if (JdkAccess.socketsUnavailable() != null) {
                return JdkAccess.socketsUnavailable();
            }
            Socket socket = JdkAccess.socketOf(out);
            if (socket instanceof SSLSocket) {
                return "TLS socket: the bytes must be encrypted";
            }
            SocketImpl impl = JdkAccess.implOf(socket);
            if (!JdkAccess.isNioSocketImpl(impl)) {
                return "socket implementation " + Plan.name(impl) + " (only NioSocketImpl is supported)";
            }
            FileDescriptor fd = JdkAccess.fdOf(impl);
            if (fd == null || !fd.valid()) {
                return "socket is closed";
            }
            return new SocketSink(out, impl, fd, Channels.writing(fd), flush);
        }
        SocketChannel channel = JdkAccess.channelOf(out);
        if (channel == null) {
            return null;
        }
        if (!channel.isBlocking()) {
            return "socket channel in non-blocking mode";
        }
        if (Thread.currentThread().isInterrupted()) {
            return "interrupted thread: the channel would be closed by the interrupt";
        }
        return new ChannelSink(out, channel, flush);
    }
}
