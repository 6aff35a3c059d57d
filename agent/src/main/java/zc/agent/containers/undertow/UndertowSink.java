package zc.agent.containers.undertow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import zc.agent.containers.Members;
import zc.agent.rt.Sink;

/**
 * Undertow's {@code ServletOutputStreamImpl.transferFrom(FileChannel)}, step by step, so that at most the planned
 * bytes move from the planned position (the public method sends from the channel's position to the end of the file
 * and loops on a file that shrank): what the stream buffers is written first ({@code writeBufferBlocking}), then the
 * response channel's {@code transferFrom(FileChannel, position, count)}, clamped to the Content-Length left
 * ({@code remainingContentLength}), waited on with {@code awaitWritable} as Undertow waits, and counted with
 * {@code updateWritten}. Undertow's conduits decide how the bytes go: sendfile for a fixed-length plaintext
 * HTTP/1.1 response; a copy through a pooled buffer (FileChannel.read, no mapping) for chunked, compressed, TLS or
 * HTTP/2 responses. Whenever this returns 0 the dispatcher writes one chunk through the stream itself, which then
 * throws, drops or buffers it as Undertow does (a closed stream, the Content-Length reached, a body that may still
 * fit the buffer).
 */
record UndertowSink(OutputStream raw) implements Sink {
    private static final Class<?>[] TRANSFER = {FileChannel.class, long.class, long.class};

    /** The sink, once every member it will use has been found (a missing one declines the call). */
    static UndertowSink of(OutputStream out) throws Throwable {
        Object response = Members.call(Members.get(out, "servletRequestContext"), "getOriginalResponse");
        Members.call(response, "isTreatAsCommitted");
        Members.call(out, "remainingContentLength");
        Members.get(out, "state");
        Members.get(out, "FLAG_CLOSED");
        Members.get(out, "buffer");
        Members.get(out, "bufferSize");
        Members.get(out, "channel");
        Members.require(out, "writeBufferBlocking", 1);
        Members.require(out, "updateWritten", 1);
        return new UndertowSink(out);
    }

    @Override
    public void prepare() {
        // what the stream buffers is written before the first transfer (writeBufferBlocking)
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        try {
            return transfer(source, position, count);
        } catch (ReflectiveOperationException e) {
            return 0; // nothing was sent: the chunk goes through the stream
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private long transfer(FileChannel source, long position, long count) throws Throwable {
        Object context = Members.get(raw, "servletRequestContext");
        if (((int) Members.get(raw, "state") & (int) Members.get(raw, "FLAG_CLOSED")) != 0
                || (boolean) Members.call(Members.call(context, "getOriginalResponse"), "isTreatAsCommitted")) {
            return 0; // the stream's write throws "stream is closed"
        }
        long n = Math.min(count, (long) Members.call(raw, "remainingContentLength"));
        if (n <= 0) {
            return 0; // Content-Length reached: the stream's write drops the bytes
        }
        Object channel = Members.get(raw, "channel");
        if (channel == null && n < bufferSpace(context)) {
            return 0; // the loop's writes would only fill the buffer: Undertow may still send a Content-Length
        }
        ByteBuffer buffer = (ByteBuffer) Members.get(raw, "buffer");
        if (buffer != null && buffer.position() != 0) {
            Members.call(raw, "writeBufferBlocking", false);
        }
        if (channel == null) {
            channel = Members.call(Members.call(context, "getExchange"), "getResponseChannel");
            Members.set(raw, "channel", channel);
        }
        long moved;
        while ((moved = (long) Members.callExact(channel, "transferFrom", TRANSFER, source, position, n)) == 0) {
            if (position >= source.size()) {
                return 0; // the file shrank: the dispatcher's read finds its end
            }
            Members.call(channel, "awaitWritable");
        }
        Members.call(raw, "updateWritten", moved);
        return moved;
    }

    /** What the stream's buffer can still take (allocated, sized by setBufferSize, or the pool's buffer size). */
    private long bufferSpace(Object context) throws Throwable {
        ByteBuffer buffer = (ByteBuffer) Members.get(raw, "buffer");
        if (buffer != null) {
            return buffer.remaining();
        }
        Object size = Members.get(raw, "bufferSize");
        if (size != null) {
            return (int) size;
        }
        Object pool = Members.call(Members.call(Members.call(context, "getExchange"), "getConnection"),
                "getByteBufferPool");
        return (int) Members.call(pool, "getBufferSize");
    }

    /** Never called: Undertow's conduits choose between sendfile and copying ({@link #mapped}). */
    @Override
    public int write(ByteBuffer mapped) {
        return 0;
    }

    @Override
    public boolean mapped(boolean strategyMmap) {
        return false;
    }

    @Override
    public String via(boolean mapped) {
        return "undertow-transferFrom";
    }
}
