package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A FileOutputStream: transferTo into a side channel on its descriptor writes at the descriptor's offset and moves
 * it, exactly as the loop's writes would (sendfile on JDK 17, copy_file_range on JDK 25).
 */
record FileSink(OutputStream raw, FileChannel target, BufferedFlush flush) implements Sink {

    @Override
    public void prepare() throws IOException {
        flush.run();
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        return source.transferTo(position, count, target);
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        return target.write(mapped);
    }
}
