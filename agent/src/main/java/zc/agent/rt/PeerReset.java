package zc.agent.rt;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.net.SocketException;

/**
 * Turns sendfile's "Broken pipe" after a peer's reset into the "Connection reset by peer" the loop's write reports.
 * A reset (RST, e.g. a peer closing with SO_LINGER 0) leaves its error pending on the socket; the first send that
 * finds it consumes it. The loop's write finds it with nothing copied and fails with ECONNRESET. One sendfile call
 * runs several sends: when one of them finds the error after an earlier one moved bytes, sendfile returns those
 * bytes and the error is gone, so the next call fails with EPIPE. A socket in TCP_CLOSE that was not shut down for
 * writing by this side got there by a reset (or by a retransmission timeout, which the loop would report as
 * "Connection timed out": docs/agent.md, Known differences); a socket this side shut down stays in FIN_WAIT and
 * later states, and its EPIPE is the loop's too.
 */
final class PeerReset {
    /** linux/tcp.h: getsockopt(IPPROTO_TCP, TCP_INFO); the first byte of struct tcp_info is tcpi_state. */
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_INFO = 11;
    private static final int TCP_CLOSE = 7;
    private static final JdkAccess.Found<MethodHandle> INT_OPTION = intOption();
    private static final JdkAccess.Found<MethodHandle> CHANNEL_FD = channelFd();

    private PeerReset() {
    }

    /** The same for a SocketChannel: its descriptor from sun.nio.ch.SelChImpl.getFD. */
    static IOException asLoopWould(IOException e, java.nio.channels.SocketChannel channel) {
        if (CHANNEL_FD.handles() == null) {
            return e;
        }
        try {
            return asLoopWould(e, (FileDescriptor) CHANNEL_FD.handles().invoke(channel));
        } catch (Throwable t) {
            return e;
        }
    }

    /** What the loop's write would have thrown instead of {@code e}, given the socket's state now. */
    static IOException asLoopWould(IOException e, FileDescriptor socket) {
        if (!"Broken pipe".equals(e.getMessage()) || !closedByPeer(socket)) {
            return e;
        }
        IOException reset = e instanceof SocketException ? new SocketException("Connection reset by peer")
                : new IOException("Connection reset by peer");
        reset.setStackTrace(e.getStackTrace());
        return reset;
    }

    private static boolean closedByPeer(FileDescriptor socket) {
        if (INT_OPTION.handles() == null || socket == null || !socket.valid()) {
            return false;
        }
        try {
            // getsockopt copies only the int's 4 bytes of struct tcp_info: tcpi_state is the low byte
            int head = (int) INT_OPTION.handles().invokeExact(socket, false, IPPROTO_TCP, TCP_INFO);
            return (head & 0xff) == TCP_CLOSE;
        } catch (Throwable notASocketAnyMore) {
            return false;
        }
    }

    private static JdkAccess.Found<MethodHandle> channelFd() {
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            return JdkAccess.Found.of(JdkAccess.lookup(selCh).findVirtual(selCh, "getFD",
                    MethodType.methodType(FileDescriptor.class)));
        } catch (Throwable t) {
            return JdkAccess.Found.missing("channel descriptors", t);
        }
    }

    /** sun.nio.ch.Net.getIntOption0(FileDescriptor, boolean, int level, int option), the same on JDK 17 and 25. */
    private static JdkAccess.Found<MethodHandle> intOption() {
        try {
            Class<?> net = Class.forName("sun.nio.ch.Net");
            return JdkAccess.Found.of(JdkAccess.lookup(net).findStatic(net, "getIntOption0",
                    MethodType.methodType(int.class, FileDescriptor.class, boolean.class, int.class, int.class)));
        } catch (Throwable t) {
            return JdkAccess.Found.missing("socket options", t);
        }
    }
}
