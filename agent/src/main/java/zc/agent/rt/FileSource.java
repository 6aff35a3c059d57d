package zc.agent.rt;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A regular file a copy reads from: a channel whose position is the stream's ({@code position()} is where the
 * loop's next read would start, and zc leaves it where the loop's reads would), and where the copy must stop: the
 * file's size from one fstat, or the limit of a wrapper that counts what it lets through ({@code consumed} then
 * counts it down as the wrapper's reads would; null for plain file streams).
 */
record FileSource(FileChannel channel, long size, Consumed consumed) {

    FileSource(FileChannel channel, long size) {
        this(channel, size, null);
    }

    /** Told, once the zero-copy part is over, how many bytes the loop's reads would have taken from the source. */
    interface Consumed {
        void read(long bytes) throws IOException;
    }
}
