package zc.agent.containers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import zc.agent.rt.Sink;

/**
 * One call into a sink, made later by a wrapper's steps around it: a sendfile of a range of a file, a write of a
 * mapped region, or the sink's prepare. A value rather than a lambda: sinks run on virtual threads, and linking a
 * lambda's call site the first time defines a class, which pins the carrier (jdk.VirtualThreadPinned at
 * ClassLoader.defineClass0).
 */
public final class Transfer {
    private final Sink sink;
    private final FileChannel source;
    private final long position;
    private final long count;
    private final ByteBuffer mapped;

    private Transfer(Sink sink, FileChannel source, long position, long count, ByteBuffer mapped) {
        this.sink = sink;
        this.source = source;
        this.position = position;
        this.count = count;
        this.mapped = mapped;
    }

    /** {@code sink.transferFrom(source, position, count)}. */
    public static Transfer range(Sink sink, FileChannel source, long position, long count) {
        return new Transfer(sink, source, position, count, null);
    }

    /** {@code sink.write(mapped)}. */
    public static Transfer mapped(Sink sink, ByteBuffer mapped) {
        return new Transfer(sink, null, 0, 0, mapped);
    }

    /** {@code sink.prepare()}, which returns 0. */
    public static Transfer prepare(Sink sink) {
        return new Transfer(sink, null, 0, 0, null);
    }

    /** Makes the call: bytes moved, or 0 or -1 as {@link Sink} says. */
    public long run() throws IOException {
        if (mapped != null) {
            return sink.write(mapped);
        }
        if (source == null) {
            sink.prepare();
            return 0;
        }
        return sink.transferFrom(source, position, count);
    }
}
