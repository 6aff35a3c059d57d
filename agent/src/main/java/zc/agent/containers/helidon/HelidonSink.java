package zc.agent.containers.helidon;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import zc.agent.containers.Transfer;
import zc.agent.rt.Sink;

/**
 * Bytes past Helidon's response stream, straight into its plain socket through zc's socket sink (sendfile or
 * mapped writes under the socket's own locks; on a virtual thread, parked as NioSocketImpl parks). Before the first
 * byte: the stream's buffer is flushed and the status line and headers are sent the way Helidon sends them (an
 * empty write, which makes BlockingOutputStream send its head). Every body byte is counted where
 * {@code writeContent} counts it ({@code bytesWritten}, {@code responseBytesTotal}), and never more than the
 * Content-Length left: a copy longer than that is handed back whole to the application's code, so Helidon's
 * checkContentLength fails it at the same chunk as without zc. A failed socket write surfaces as Helidon's own
 * {@code ServerConnectionException("Failed to write response content")} around the I/O error.
 */
final class HelidonSink implements Sink {
    private final HelidonAccess helidon;
    private final OutputStream stream;
    private final OutputStream blocking;
    private final Sink socket;
    private String declined;

    HelidonSink(HelidonAccess helidon, OutputStream stream, OutputStream blocking, Sink socket) {
        this.helidon = helidon;
        this.stream = stream;
        this.blocking = blocking;
        this.socket = socket;
    }

    @Override
    public void prepare() throws IOException {
        helidon.buffered(stream).flush(); // what the application wrote before the copy goes first
        if (!helidon.headersSent(blocking)) {
            blocking.write(new byte[0], 0, 0); // BlockingOutputStream's first write sends the head
        }
        socket.prepare();
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        if (count > remaining()) {
            return longerThanContentLength();
        }
        return counted(Transfer.range(socket, source, position, count));
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        if (mapped.remaining() > remaining()) {
            return (int) longerThanContentLength();
        }
        return (int) counted(Transfer.mapped(socket, mapped));
    }

    /** Hands the rest back: Helidon's own writes run and fail at the chunk they would. */
    private long longerThanContentLength() {
        declined = "more bytes than the response's Content-Length: Helidon's own writes fail where they would";
        return -1;
    }

    @Override
    public String declined() {
        return declined;
    }

    /** Writes the ordinary way: Helidon's BlockingOutputStream (unbuffered, the head already sent). */
    @Override
    public OutputStream raw() {
        return blocking;
    }

    @Override
    public String via(boolean mapped) {
        return mapped ? "helidon-mmap" : "helidon-sendfile";
    }

    private long remaining() {
        return helidon.remaining(blocking);
    }

    private long counted(Transfer transfer) {
        long n;
        try {
            n = transfer.run();
        } catch (IOException e) {
            throw serverConnectionException(e);
        }
        helidon.wrote(blocking, n);
        return n;
    }

    private RuntimeException serverConnectionException(IOException e) {
        try {
            return (RuntimeException) Class.forName("io.helidon.webserver.ServerConnectionException", false,
                    blocking.getClass().getClassLoader()).getConstructor(String.class, Throwable.class)
                    .newInstance("Failed to write response content", new UncheckedIOException(e));
        } catch (ReflectiveOperationException | RuntimeException notThere) {
            return new UncheckedIOException(e);
        }
    }
}
