package zc.agent.rt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Guava's {@code ByteStreams.limit(in, n)} ({@code ByteStreams$LimitedInputStream}) around a file stream zc takes:
 * each read asks its inner stream for at most {@code left} bytes and counts {@code left} down by what it got; at 0 it
 * returns -1 without reading. zc sends at most {@code left} bytes (never one past the limit: a range stays a range)
 * and counts {@code left} down by exactly what the loop's reads would have taken; the loop then ends on the
 * wrapper's own -1. The class is the application's (found by name on the real object), its field read and written
 * through a lookup on it.
 */
final class LimitedSources implements SourceFamily {
    static final String GUAVA = "com.google.common.io.ByteStreams$LimitedInputStream";
    private static final LongField LEFT = new LongField("left");

    @Override
    public Object source(InputStream in, long minBytes) throws Throwable {
        if (!in.getClass().getName().equals(GUAVA)) {
            return null;
        }
        Object inner = Sources.find(JdkAccess.innerInput((FilterInputStream) in), minBytes);
        if (inner instanceof String why) {
            return "inside Guava's ByteStreams.limit: " + why;
        }
        FileSource file = (FileSource) inner;
        long position = file.channel().position();
        long left = LEFT.get(in);
        long end = left >= file.size() - position ? file.size() : position + left; // limit(in, Long.MAX_VALUE)
        FileSource.Consumed innerConsumed = file.consumed();
        return new FileSource(file.channel(), end, new FileSource.Consumed() {
            @Override
            public void read(long bytes) throws IOException {
                if (innerConsumed != null) {
                    innerConsumed.read(bytes);
                }
                LEFT.set(in, LEFT.get(in) - bytes);
            }
        });
    }
}
