package zc.agent.containers.jetty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import zc.agent.rt.Sink;

/**
 * Mapped windows of the file written through Jetty's own {@code write(ByteBuffer)}: its framing, byte counts,
 * blocking, timeouts and errors stay Jetty's, and its endpoint writes the window with one gathering write of the
 * socket channel (the kernel reads the pages; a file truncated meanwhile is EFAULT, an IOException, never a SIGBUS in
 * Java code). {@link JettyPath} has checked that nothing on the way reads or copies the buffer.
 */
record JettyMappedSink(OutputStream raw, JettyOutput output) implements Sink {
    private static final Class<?>[] BUFFER = {ByteBuffer.class};
    private static final long WINDOW = 64L << 20;

    /** The sink, once every member it will use has been found (a missing one declines the call, not the write). */
    static JettyMappedSink of(OutputStream out, JettyOutput output) throws Throwable {
        output.mayBypassBuffer(0);
        return new JettyMappedSink(out, output);
    }

    @Override
    public void prepare() {
        // HttpOutput.write(ByteBuffer) writes out what its aggregate buffer holds before the window itself
    }

    /** Never called: this sink has only the mapped way ({@link #mapped}); 0 would send the bytes through raw. */
    @Override
    public long transferFrom(FileChannel source, long position, long count) {
        return 0;
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        int len = mapped.remaining();
        try {
            if (!output.mayBypassBuffer(len)) {
                return 0;
            }
            output.write(mapped);
        } catch (ReflectiveOperationException e) {
            return 0; // Jetty was not called: the bytes go through raw (the members were all found at resolve)
        } catch (IOException | RuntimeException | Error e) {
            throw e; // Jetty's own failure, as its write(byte[]) would throw it
        } catch (Throwable t) {
            throw new IOException(t);
        }
        // Jetty consumes the buffer as the socket takes it; a HEAD response clears it unsent (BufferUtil.clear)
        mapped.position(mapped.limit());
        return len;
    }

    @Override
    public boolean mapped(boolean strategyMmap) {
        return true;
    }

    /**
     * Windows of up to 64 MiB: each window costs a map, an munmap (a TLB shoot-down across Jetty's worker threads)
     * and one blocking HttpOutput.write (the servlet thread parked until Jetty's WriteFlusher completes it); Jetty's
     * own ResourceHandler maps a file whole. Measured with {@code zc bench containers} (docs/BENCHMARKS.md).
     */
    @Override
    public long mappedWindow(long standard) {
        return Math.max(standard, WINDOW);
    }

    @Override
    public String via(boolean mapped) {
        return "jetty-mapped";
    }

    /** Finds HttpOutput's {@code write(ByteBuffer)}, or throws (the call is declined). */
    static void requireWriteByteBuffer(OutputStream out) throws ReflectiveOperationException {
        zc.agent.containers.Members.method(out, "write", BUFFER);
    }

    static Object writeByteBuffer(OutputStream out, ByteBuffer buffer) throws Throwable {
        return zc.agent.containers.Members.callExact(out, "write", BUFFER, buffer);
    }
}
