package zc.agent.rt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.util.Objects;
import zc.agent.stats.SiteCounters;
import zc.agent.stats.Stats;

/**
 * What zc passes to the JDK's own {@code Files.copy(InputStream, Path, CopyOption...)} in place of a socket's
 * stream. The JDK does everything it always does (checks the options, deletes the target for REPLACE_EXISTING,
 * creates it with CREATE_NEW, closes it) and then calls {@link #transferTo} with its stream on the new file: only
 * that transfer is zc's. Files.copy keeps its argument to itself, so the application never sees this object.
 *
 * <p>The JDK's transfer reads 8 KiB (JDK 17) or 16 KiB (21+) at a time into a byte array: each byte goes kernel ->
 * temporary direct buffer -> array -> temporary direct buffer -> kernel. zc reads up to 1 MiB at a time into one
 * direct buffer and writes that buffer to the file channel: kernel -> buffer -> kernel, and far fewer calls. The
 * reads are the socket stream's own steps ({@link SocketSource}); every write completes before the next read, as
 * in the JDK's loop, so when a read fails the file holds every byte read before it. A true splice (socket -> pipe
 * -> file, no copy through user space) would need native calls, which the agent does not carry.
 *
 * <p>The file is written {@link #WRITE_SLICE} bytes per call, not a whole buffer at once. Linux sizes page-cache
 * folios by the write (ext4 large folios, Linux 6.x); on this project's VM the copy into new large folios was up to
 * ten times slower than into small ones, most likely first touches of memory the host had taken back (virtio-balloon
 * free page reporting is on). Writing 1 GiB into a new ext4 file from a fresh JVM cost 1.4-3 s of CPU in 1 MiB
 * writes, 0.2-1.9 s in 256 KiB, 0.25-1 s in 64 KiB, 0.3-0.5 s in 16 or 32 KiB writes. 64 KiB writes were never
 * the slowest choice while receiving, and keep the write calls at 1/8 (JDK 17) or 1/4 (JDK 21+) of the JDK's
 * (docs/BENCHMARKS.md).
 */
final class ReceivingStream extends InputStream {
    static final int WRITE_SLICE = 64 * 1024;
    private final InputStream socketStream;
    private final SocketSource source;
    private final SiteCounters counters;
    /** Bytes that went through the direct buffer, and the reason the JDK's transfer ran instead: for the event. */
    long received;
    String declined;

    ReceivingStream(InputStream socketStream, SocketSource source, SiteCounters counters) {
        this.socketStream = socketStream;
        this.source = source;
        this.counters = counters;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        Object file;
        Object buffer = null;
        try {
            file = fileBehind(out);
            if (file instanceof FileChannel) {
                String unfit = source.unfit();
                file = unfit != null ? unfit : file;
            }
            if (file instanceof FileChannel) {
                buffer = ReceiveBuffers.take();
            }
        } catch (Throwable t) {
            Stats.error("dispatcher", t);
            file = "internal error: " + t.getClass().getSimpleName();
        }
        if (!(file instanceof FileChannel)) {
            return decline((String) file, out);
        }
        if (buffer instanceof String why) {
            return decline(why, out);
        }
        return receive((FileChannel) file, (ByteBuffer) buffer, out);
    }

    private long receive(FileChannel file, ByteBuffer buf, OutputStream out) throws IOException {
        long total = 0;
        try {
            for (;;) {
                int n;
                try {
                    n = source.read(buf.clear());
                } catch (IllegalBlockingModeException e) {
                    throw e; // what the channel's stream throws when the channel was made non-blocking meanwhile
                } catch (RuntimeException internal) {
                    // a failure inside zc: the bytes read so far go to the file, the JDK's transfer does the rest
                    Stats.error("dispatcher", internal);
                    counters.fallback("internal error: " + internal.getClass().getSimpleName());
                    total += writeFully(file, buf.flip());
                    return total + socketStream.transferTo(out);
                }
                if (n < 0) {
                    return total;
                }
                total += writeFully(file, buf.flip());
            }
        } finally {
            received = total;
            counters.bytes(SiteCounters.Path.DIRECT, total);
            ReceiveBuffers.give(buf);
        }
    }

    /** As the JDK's stream on a channel writes an array: the whole buffer, or an exception; in slices. */
    private static int writeFully(FileChannel file, ByteBuffer buf) throws IOException {
        int n = buf.remaining();
        int end = buf.limit();
        while (buf.position() < end) {
            buf.limit(Math.min(end, buf.position() + WRITE_SLICE));
            while (buf.hasRemaining()) {
                if (file.write(buf) <= 0) {
                    throw new RuntimeException("no bytes written");
                }
            }
        }
        return n;
    }

    private long decline(String reason, OutputStream out) throws IOException {
        declined = reason;
        counters.fallback(reason);
        return socketStream.transferTo(out);
    }

    /** The file channel behind the stream Files.copy opened on the target, or why there is none. */
    private static Object fileBehind(OutputStream out) throws Throwable {
        Object ch = JdkAccess.channelBehind(out);
        if (ch != null && ch.getClass().getName().equals("sun.nio.ch.FileChannelImpl")) {
            return ch;
        }
        return "target stream is " + out.getClass().getName() + (ch == null ? "" : " on " + ch.getClass().getName())
                + ", not the JDK's stream on a file channel";
    }

    @Override
    public int read() throws IOException {
        return socketStream.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return socketStream.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return socketStream.available();
    }

    @Override
    public void close() throws IOException {
        socketStream.close();
    }
}
