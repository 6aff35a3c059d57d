package zc.agent.rt;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLSocket;

/**
 * Where a receive's bytes come from: a socket whose stream zc can read the way the stream itself reads, into zc's
 * direct buffer instead of a byte array.
 */
interface SocketSource {

    /**
     * One read, as one {@code read(byte[], int, int)} of the socket's stream would make it: the bytes read (more
     * than 0), or -1 at end of stream; the same exceptions, and the same state left behind.
     */
    int read(ByteBuffer dst) throws IOException;

    /** Why this socket is not read by zc right now (input shut down, already at end of stream...), or null. */
    String unfit() throws IOException;

    /**
     * The source behind a socket's input stream, or why there is none: a plain Socket's stream (NioSocketImpl), or
     * a blocking SocketChannel's stream without a read timeout. TLS and every other stream are declined.
     */
    static Object of(InputStream in) throws Throwable {
        String name = in.getClass().getName();
        switch (name) {
            case "java.net.Socket$SocketInputStream" -> {
                if (JdkAccess.socketsUnavailable() != null) {
                    return JdkAccess.socketsUnavailable();
                }
                Socket socket = (Socket) JdkAccess.field(in, "parent");
                if (socket instanceof SSLSocket) {
                    return "TLS socket: the bytes must be decrypted";
                }
                SocketImpl impl = JdkAccess.implOf(socket);
                if (!JdkAccess.isNioSocketImpl(impl)) {
                    return "socket implementation " + (impl == null ? "null" : impl.getClass().getName())
                            + " (only NioSocketImpl is supported)";
                }
                if (JdkAccess.field(in, "in").getClass().getEnclosingClass() != impl.getClass()) {
                    return "socket stream does not read NioSocketImpl directly";
                }
                return NioSocketSource.of(socket, impl);
            }
            case "sun.nio.ch.SocketInputStream" -> {
                // JDK 19+: socket().getInputStream() reads with the adaptor's SO_TIMEOUT, Channels.newInputStream without
                int timeout = ((IntSupplier) JdkAccess.field(in, "timeoutSupplier")).getAsInt();
                return ChannelSource.of((SocketChannel) JdkAccess.field(in, "sc"), timeout);
            }
            case "sun.nio.ch.SocketAdaptor$1" -> {
                // JDK 17-18: socket().getInputStream()
                Socket adaptor = (Socket) JdkAccess.field(in, "this$0");
                return ChannelSource.of((SocketChannel) JdkAccess.field(adaptor, "sc"), adaptor.getSoTimeout());
            }
            case "sun.nio.ch.ChannelInputStream" -> {
                // JDK 17-20: Channels.newInputStream(socketChannel); from 21 that is a sun.nio.ch.SocketInputStream
                Object ch = JdkAccess.field(in, "ch");
                return ch instanceof SocketChannel sc ? ChannelSource.of(sc, 0)
                        : "source is a channel stream on " + ch.getClass().getName() + ", not on a SocketChannel";
            }
            case "sun.security.ssl.SSLSocketImpl$AppInputStream" -> {
                return "TLS socket: the bytes must be decrypted";
            }
            case "java.net.SocketInputStream" -> {
                // JDK 17 with -Djdk.net.usePlainSocketImpl=true (a FileInputStream subclass, no locks to take)
                return "socket implementation java.net.PlainSocketImpl (only NioSocketImpl is supported)";
            }
            default -> {
                return "source is " + name + ", not a plain socket or SocketChannel stream";
            }
        }
    }
}
