package zc.demo.httpserver;

import com.sun.jna.LastErrorException;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import zc.demo.strategy.LibC;

/**
 * The hand-written zero-copy bodies of {@link Body}, one per connection: each sends a whole file into the
 * connection's blocking SocketChannel. The splice body owns a pipe for the connection's lifetime.
 */
abstract class ChannelBodies implements AutoCloseable {
    /** What a body sends through the channel's own write when the socket is full on a virtual thread. */
    static final int CHUNK = 64 * 1024;
    final SocketChannel socket;

    ChannelBodies(SocketChannel socket) {
        this.socket = socket;
    }

    static ChannelBodies open(Body body, SocketChannel socket) throws IOException {
        return switch (body) {
            case TRANSFER_TO -> new TransferTo(socket);
            case MMAP_WRITE -> new MmapWrite(socket);
            case SPLICE -> new Splice(socket);
            case READ_WRITE -> throw new IllegalArgumentException("read-write is not a channel body");
        };
    }

    /** Sends {@code length} bytes of the file from its start. */
    abstract void send(FileInputStream in, Path file, long length) throws IOException;

    @Override
    public void close() {
    }

    /**
     * On a virtual thread (JDK 21+) the JDK makes the socket non-blocking underneath while the channel stays in
     * blocking mode (SocketChannelImpl's forcedNonBlocking, set by the first blocking read or write of a virtual
     * thread: here the request's). FileChannel.transferTo into it then makes one sendfile, which fails with EAGAIN
     * once the socket buffer is full, and returns 0 instead of waiting (FileChannelImpl.transferToSocketChannel
     * normalises IOStatus.UNAVAILABLE to 0). A channel write does wait (it parks the virtual thread until the socket
     * is writable), so a 0 sends the next chunk that way before sendfile goes on.
     */
    private static final class TransferTo extends ChannelBodies {
        private ByteBuffer chunk;

        TransferTo(SocketChannel socket) {
            super(socket);
        }

        @Override
        void send(FileInputStream in, Path file, long length) throws IOException {
            FileChannel ch = in.getChannel();
            for (long pos = 0; pos < length; ) {
                long n = ch.transferTo(pos, length - pos, socket);
                pos += n > 0 ? n : writeChunk(ch, pos, length - pos, file);
            }
        }

        /** Writes the next chunk through the channel, which waits for a full socket; fails if the file shrank. */
        private int writeChunk(FileChannel ch, long pos, long left, Path file) throws IOException {
            if (chunk == null) {
                chunk = ByteBuffer.allocate(CHUNK);
            }
            chunk.clear().limit((int) Math.min(CHUNK, left));
            int k = ch.read(chunk, pos);
            if (k <= 0) {
                throw new IOException(file + " shrank while it was sent");
            }
            chunk.flip();
            while (chunk.hasRemaining()) {
                socket.write(chunk);
            }
            return k;
        }
    }

    private static final class MmapWrite extends ChannelBodies {
        MmapWrite(SocketChannel socket) {
            super(socket);
        }

        @Override
        void send(FileInputStream in, Path file, long length) throws IOException {
            FileChannel ch = in.getChannel();
            for (long pos = 0; pos < length; ) {
                long chunk = Math.min(length - pos, Integer.MAX_VALUE);
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, chunk);
                while (map.hasRemaining()) {
                    socket.write(map);
                }
                pos += chunk;
            }
        }
    }

    /**
     * splice needs the socket's descriptor, which the JDK keeps to itself: it is read from SocketChannelImpl, so the
     * server must run with {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}.
     */
    private static final class Splice extends ChannelBodies {
        private static final int PIPE_BYTES = 1 << 20;
        // no SPLICE_F_MORE: it corks the socket, and a response's last segment would wait for the cork's timeout
        private static final int FLAGS = LibC.SPLICE_F_MOVE;
        private final LibC libc;
        private final int fd;
        private final int[] pipe = new int[2];
        private final int pipeBytes;
        private byte[] chunk;

        Splice(SocketChannel socket) throws IOException {
            super(socket);
            try {
                libc = LibC.load();
                Method fdVal = socket.getClass().getDeclaredMethod("getFDVal");
                fdVal.setAccessible(true);
                fd = (int) fdVal.invoke(socket);
                libc.pipe2(pipe, LibC.O_CLOEXEC);
                pipeBytes = libc.fcntl(pipe[1], LibC.F_SETPIPE_SZ, PIPE_BYTES);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                throw new IOException("splice unavailable (run with --add-opens java.base/sun.nio.ch=ALL-UNNAMED): "
                        + e);
            }
        }

        @Override
        void send(FileInputStream in, Path file, long length) throws IOException {
            int source = libc.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
            try {
                for (long left = length; left > 0; ) {
                    long n = splice(source, pipe[1], Math.min(left, pipeBytes));
                    if (n <= 0) {
                        throw new IOException(file + " shrank while it was sent");
                    }
                    for (long inPipe = n; inPipe > 0; ) {
                        long k = splice(pipe[0], fd, inPipe);
                        inPipe -= k >= 0 ? k : writeFromPipe(inPipe);
                    }
                    left -= n;
                }
            } finally {
                libc.close(source);
            }
        }

        /**
         * On a virtual thread the socket is non-blocking underneath (see {@link TransferTo}): a full socket fails the
         * splice with EAGAIN, -1 here; the file and the pipe block as usual.
         */
        private long splice(int from, int to, long len) throws IOException {
            while (true) {
                try {
                    return libc.splice(from, null, to, null, len, FLAGS);
                } catch (LastErrorException e) {
                    if (e.getErrorCode() == LibC.EAGAIN) {
                        return -1;
                    }
                    if (e.getErrorCode() != LibC.EINTR) {
                        throw new IOException("splice failed: errno " + e.getErrorCode());
                    }
                }
            }
        }

        /** The socket is full: the next chunk of the pipe through the channel, whose write waits (parks). */
        private long writeFromPipe(long inPipe) throws IOException {
            if (chunk == null) {
                chunk = new byte[CHUNK];
            }
            long k;
            try {
                k = libc.read(pipe[0], chunk, Math.min(CHUNK, inPipe));
            } catch (LastErrorException e) {
                throw new IOException("read from the pipe failed: errno " + e.getErrorCode());
            }
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, (int) k);
            while (b.hasRemaining()) {
                socket.write(b);
            }
            return k;
        }

        @Override
        public void close() {
            libc.close(pipe[0]);
            libc.close(pipe[1]);
        }
    }
}
