package zc.agent.rt;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;

/**
 * A rewritten range loop's {@code RandomAccessFile} seen as the InputStream the dispatcher takes: every read is the
 * file's own read at its file pointer (so the original loop, where it runs, makes the very same calls), and
 * {@link RandomAccessFileSources} reads the file through {@code getChannel()}, whose position is that file pointer.
 * One per rewritten call; the application never sees it (its local still holds the RandomAccessFile).
 */
public final class RandomAccessFileStream extends InputStream {
    private final RandomAccessFile file;

    private RandomAccessFileStream(RandomAccessFile file) {
        this.file = file;
    }

    /** What rewritten code calls on the loop's RandomAccessFile (null stays null: the loop's read throws NPE). */
    public static InputStream of(RandomAccessFile file) {
        return file == null ? null : new RandomAccessFileStream(file);
    }

    RandomAccessFile file() {
        return file;
    }

    @Override
    public int read() throws IOException {
        return file.read();
    }

    @Override
    public int read(byte[] b) throws IOException {
        return file.read(b);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return file.read(b, off, len);
    }
}
