package zc.demo.strategy;

import com.sun.jna.LastErrorException;
import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lesson 5: splice. No JDK method calls splice(2), so this lesson calls libc itself (JNA; FFM from JDK 22 could do
 * the same). splice moves data between a file descriptor and a pipe without copying: the pipe holds references to
 * page cache pages, and the second splice hands those references to the socket.
 *
 * <pre>
 *   page cache ══ref══> pipe         splice(file -> pipe)    2 mode switches
 *   pipe ══ref══> socket ──DMA──> NIC splice(pipe -> socket) 2 mode switches
 * </pre>
 *
 * 0 CPU copies, 2 DMA copies, 2 system calls per pipe-full: a bigger pipe (fcntl F_SETPIPE_SZ, default here 1 MiB,
 * the unprivileged maximum from /proc/sys/fs/pipe-max-size) means fewer calls. /proc/PID/io does not count splice
 * at all (syscr, syscw, rchar and wchar stay still): only {@code strace -c} sees these calls.
 *
 * <p>The socket is a native one too, so that the lesson owns every descriptor it splices.
 */
public final class Demo05Splice implements NetworkSender {
    private static final int FLAGS = LibC.SPLICE_F_MOVE | LibC.SPLICE_F_MORE;

    private LibC libc;
    private int socket = -1;
    private int pipeSize;

    @Override
    public void connect(InetSocketAddress receiver, DemoOptions options) throws IOException {
        if (!(receiver.getAddress() instanceof Inet4Address)) {
            throw new IOException("the splice demo connects over IPv4 only, not to " + receiver.getAddress());
        }
        try {
            libc = LibC.load();
        } catch (LinkageError e) {
            throw new IOException("splice unavailable: cannot call libc (" + e.getMessage() + ")");
        }
        pipeSize = options.pipeBytes();
        socket = libc.socket(LibC.AF_INET, LibC.SOCK_STREAM, 0);
        try {
            libc.connect(socket, sockaddrIn(receiver), 16);
        } catch (LastErrorException e) {
            throw new IOException("connect to " + receiver + " failed: errno " + e.getErrorCode());
        }
    }

    @Override
    public void send(Path file) throws IOException {
        int fd = libc.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        int[] pipe = new int[2];
        libc.pipe2(pipe, LibC.O_CLOEXEC);
        try {
            pipeSize = setPipeSize(pipe[1], pipeSize);
            long n;
            while ((n = splice(fd, pipe[1], pipeSize)) > 0) {
                for (long left = n; left > 0; ) {
                    left -= splice(pipe[0], socket, left);
                }
            }
        } finally {
            libc.close(pipe[0]);
            libc.close(pipe[1]);
            libc.close(fd);
        }
    }

    private long splice(int from, int to, long len) throws IOException {
        while (true) {
            try {
                return libc.splice(from, null, to, null, len, FLAGS);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == LibC.EINTR) {
                    continue;
                }
                throw new IOException("splice unavailable or failed: errno " + e.getErrorCode()
                        + " (" + e.getMessage() + ")");
            }
        }
    }

    private int setPipeSize(int pipeFd, int wanted) throws IOException {
        try {
            return libc.fcntl(pipeFd, LibC.F_SETPIPE_SZ, wanted);
        } catch (LastErrorException e) {
            throw new IOException("cannot set the pipe size to " + wanted + " bytes (errno " + e.getErrorCode()
                    + "; see /proc/sys/fs/pipe-max-size)");
        }
    }

    @Override
    public long finish() throws IOException {
        libc.shutdown(socket, LibC.SHUT_WR);
        byte[] ack = new byte[Long.BYTES];
        int got = 0;
        while (got < ack.length) {
            byte[] rest = new byte[ack.length - got];
            long n = libc.read(socket, rest, rest.length);
            if (n <= 0) {
                throw new EOFException("receiver closed without confirming the byte count");
            }
            System.arraycopy(rest, 0, ack, got, (int) n);
            got += (int) n;
        }
        return ByteBuffer.wrap(ack).getLong();
    }

    @Override
    public Map<String, Object> details() {
        return Map.of("pipeBytes", pipeSize);
    }

    @Override
    public void close() {
        if (socket >= 0) {
            libc.close(socket);
            socket = -1;
        }
    }

    /** struct sockaddr_in: family in host order, port and address in network order, 8 bytes of padding. */
    private static byte[] sockaddrIn(InetSocketAddress address) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.order(ByteOrder.nativeOrder()).putShort((short) LibC.AF_INET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) address.getPort()).put(address.getAddress().getAddress());
        return b.array();
    }
}
