package zc.agent.rt;

import java.io.InputStream;
import java.io.RandomAccessFile;

/**
 * A {@code RandomAccessFile} read by a rewritten range loop ({@code raf.seek(start); while (remaining > 0)
 * raf.read(...)}): the bytes are read through {@code raf.getChannel()}, which shares the descriptor's offset with
 * the file pointer, so the copy starts at the pointer and leaves it where the loop's reads would. Only
 * RandomAccessFile itself: a subclass may override read.
 */
final class RandomAccessFileSources implements SourceFamily {

    @Override
    public Object source(InputStream in, long minBytes) throws Throwable {
        if (!(in instanceof RandomAccessFileStream stream)) {
            return null;
        }
        RandomAccessFile file = stream.file();
        if (file.getClass() != RandomAccessFile.class) {
            return "source is " + file.getClass().getName() + ", a RandomAccessFile subclass (its reads may not be "
                    + "the file's bytes)";
        }
        return Sources.regularFile(file.getFD(), minBytes, new Sources.Call() {
            @Override
            public java.nio.channels.FileChannel get() {
                return file.getChannel();
            }
        });
    }
}
