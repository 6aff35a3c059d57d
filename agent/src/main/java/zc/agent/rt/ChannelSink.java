package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A sink that is a channel the JDK can transfer into directly:
 * <ul>
 *   <li>a side channel on a FileOutputStream's descriptor: transferTo writes at the descriptor's offset and moves
 *       it, as the loop's writes would (sendfile on JDK 17, copy_file_range on JDK 25);</li>
 *   <li>the SocketChannel behind a channel's stream ({@code socket().getOutputStream()},
 *       {@code Channels.newOutputStream}), with the JDK's own locking.</li>
 * </ul>
 */
record ChannelSink(OutputStream raw, WritableByteChannel target, BufferedFlush flush) implements Sink {

    @Override
    public void prepare() throws IOException {
        flush.run();
    }

    @Override
    public long transferFrom(FileChannel source, long position, long count) throws IOException {
        try {
            return source.transferTo(position, count, target);
        } catch (IOException e) {
            throw target instanceof SocketChannel sc ? PeerReset.asLoopWould(e, sc) : e;
        }
    }

    @Override
    public int write(ByteBuffer mapped) throws IOException {
        try {
            return target.write(mapped);
        } catch (IOException e) {
            throw target instanceof SocketChannel sc ? PeerReset.asLoopWould(e, sc) : e;
        }
    }
}
