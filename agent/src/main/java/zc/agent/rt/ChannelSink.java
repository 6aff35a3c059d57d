package zc.agent.rt;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;

/**
 * The stream of a blocking SocketChannel ({@code channel.socket().getOutputStream()} or
 * {@code Channels.newOutputStream(channel)}): transferTo into the channel itself, with the JDK's own locking.
 */
record ChannelSink(OutputStream raw, SocketChannel target, BufferedFlush flush) implements Sink {

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
