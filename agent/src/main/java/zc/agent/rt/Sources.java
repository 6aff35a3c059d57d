package zc.agent.rt;

import java.io.InputStream;
import java.util.List;

/**
 * The one place a source is chosen: each {@link SourceFamily} in turn is asked about the real stream; the first that
 * recognises it decides (a FileSource, or why not). Streams no family knows keep the original code, with the reason.
 */
final class Sources {
    private static final List<SourceFamily> FAMILIES = List.of(
            new FileInputStreamSources(),
            new ChannelInputStreamSources(),
            new LimitedSources(),
            new BoundedSources(),
            new RandomAccessFileSources());

    private Sources() {
    }

    /** A FileSource for the stream a copy reads from, or the reason there is none. */
    static Object find(InputStream in, long minBytes) throws Throwable {
        if (in == null) {
            return "source is null";
        }
        for (SourceFamily family : FAMILIES) {
            Object source = family.source(in, minBytes);
            if (source != null) {
                return source;
            }
        }
        return "source is " + in.getClass().getName() + ", not a file stream zc reads";
    }

    /**
     * The regular file on {@code fd}, or why not; {@code channel} reads it at the descriptor's offset and is asked
     * for only when the file holds at least {@code minBytes} (small files stay cheap).
     */
    static Object regularFile(java.io.FileDescriptor fd, long minBytes, Call channel) throws Throwable {
        if (!fd.valid()) {
            return "source is closed";
        }
        long size;
        try {
            size = JdkAccess.regularFileSize(JdkAccess.fd(fd));
        } catch (Exception e) { // sun.nio.fs.UnixException: the descriptor could not be examined
            return "source not inspectable: " + e.getMessage();
        }
        if (size < 0) {
            return "source is not a regular file (a pipe, FIFO, device or socket)";
        }
        if (size < minBytes) {
            return "fewer bytes left than minBytes";
        }
        String changing = RecentChange.check(JdkAccess.fd(fd));
        if (changing != null) {
            return changing;
        }
        return new FileSource(channel.get(), size);
    }

    /** Opens the source's channel once the checks pass; a class at each call site, not a lambda (JdkAccess.rethrown). */
    interface Call {
        java.nio.channels.FileChannel get() throws Throwable;
    }
}
