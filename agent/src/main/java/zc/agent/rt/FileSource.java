package zc.agent.rt;

import java.nio.channels.FileChannel;

/**
 * A regular file a copy reads from: a channel whose position is the stream's ({@code position()} is where the
 * loop's next read would start, and zc leaves it where the loop's reads would), and the file's size from one fstat.
 */
record FileSource(FileChannel channel, long size) {
}
