package zc.agent.rt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;

/**
 * Decides, on the real objects of one call, whether the bytes can go by sendfile: the source a regular file's
 * stream that {@link Sources} takes, the sink one that {@link Sinks} takes. Anything else keeps the original loop,
 * with the reason.
 */
final class Plan {
    final FileChannel source;
    final long start;
    final long size;
    final Sink sink;
    final String declined;
    /** A limiting wrapper's count, told what the source gave (see {@link FileSource}); usually null. */
    final FileSource.Consumed consumed;

    private Plan(FileChannel source, long start, long size, Sink sink, String declined, FileSource.Consumed consumed) {
        this.source = source;
        this.start = start;
        this.size = size;
        this.sink = sink;
        this.declined = declined;
        this.consumed = consumed;
    }

    /** This plan stopped after {@code bytes} bytes (a bounded loop's remaining count). */
    Plan limit(long bytes) {
        return new Plan(source, start, Math.min(size, start + bytes), sink, declined, consumed);
    }

    static Plan decline(String reason) {
        return new Plan(null, 0, 0, null, reason, null);
    }

    static Plan of(InputStream in, OutputStream out, byte[] buf, long minBytes) throws Throwable {
        if (buf.length == 0) {
            return decline("empty buffer");
        }
        return ofStream(in, out, minBytes);
    }

    /**
     * {@link #of} (or {@link #ofStream} when {@code buf} is null) that never throws: a source or sink that cannot
     * be inspected, or a failure inside zc (reported once), is a declined plan.
     */
    static Plan safely(InputStream in, OutputStream out, byte[] buf) {
        try {
            return buf == null ? ofStream(in, out, ZcCopy.minBytes) : of(in, out, buf, ZcCopy.minBytes);
        } catch (IOException e) {
            return decline("source or sink not inspectable: " + e.getMessage());
        } catch (Throwable t) {
            zc.agent.stats.Stats.error("dispatcher", t);
            return decline("internal error: " + t.getClass().getSimpleName());
        }
    }

    /** For a copy helper reading a whole stream: the same rules, without a user buffer. */
    static Plan ofStream(InputStream in, OutputStream out, long minBytes) throws Throwable {
        String unfit = unfit();
        if (unfit != null) {
            return decline(unfit);
        }
        Object source = Sources.find(in, minBytes);
        if (source instanceof String why) {
            return decline(why);
        }
        FileSource file = (FileSource) source;
        return ofChannel(file.channel(), file.size(), out, minBytes, file.consumed());
    }

    /** A file channel positioned where the copy starts (one on a FileInputStream's descriptor, or zc's own). */
    static Plan ofChannel(FileChannel source, OutputStream out, long minBytes) throws Throwable {
        String unfit = unfit();
        if (unfit != null) {
            return decline(unfit);
        }
        return ofChannel(source, source.size(), out, minBytes, null);
    }

    /** The rest of the checks, with the file's size already known (ofStream has it from its fstat). */
    private static Plan ofChannel(FileChannel source, long size, OutputStream out, long minBytes,
                                  FileSource.Consumed consumed) throws Throwable {
        long position = source.position();
        if (size - position < minBytes) {
            return decline("fewer bytes left than minBytes");
        }
        Object sink = Sinks.find(out);
        if (sink instanceof String why) {
            return decline(why);
        }
        return new Plan(source, position, size, (Sink) sink, null, consumed);
    }

    /** sendfile=off and mmap=off (or the chosen strategy's switch off): nothing goes zero-copy. */
    static volatile boolean switchedOff;

    private static String unfit() {
        if (switchedOff) {
            return "zero-copy switched off (sendfile=off / mmap=off)";
        }
        if (JdkAccess.unavailable() != null) {
            return JdkAccess.unavailable();
        }
        return null;
    }

    static String name(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
