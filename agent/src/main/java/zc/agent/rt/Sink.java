package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Where a rewritten loop's bytes go, resolved from the real OutputStream object. */
interface Sink {

    /** Called once before the first transfer: flushes a BufferedOutputStream so bytes keep their order. */
    void prepare() throws IOException;

    /** sendfile from {@code source} at {@code position}; may return 0 when a non-blocking socket is full. */
    long transferFrom(FileChannel source, long position, long count) throws IOException;

    /** One write(2) of mapped pages (strategy=mmap); may return 0 when a non-blocking socket is full. */
    int write(ByteBuffer mapped) throws IOException;

    /** The stream to write to the ordinary way (blocks correctly on a full non-blocking socket). */
    OutputStream raw();
}
