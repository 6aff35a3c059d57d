package zc.agent.rt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocking SocketChannel read through its stream ({@code socket().getInputStream()}, {@code
 * Channels.newInputStream}). Those streams read with SocketChannelImpl.blockingRead into a byte array; zc reads
 * with the channel's own {@code read(ByteBuffer)} into its direct buffer, which runs the same steps (read lock,
 * beginRead/endRead, reset and shut-down input, interruptible like any blocking channel operation) once the
 * channel is known to be blocking. blockingRead checks that under the read lock; so does zc, holding the same
 * lock around both. A read timeout (the adaptor's SO_TIMEOUT) is declined: read(ByteBuffer) has none.
 */
final class ChannelSource implements SocketSource {
    private final SocketChannel channel;
    private final ReentrantLock readLock;

    private ChannelSource(SocketChannel channel, ReentrantLock readLock) {
        this.channel = channel;
        this.readLock = readLock;
    }

    static Object of(SocketChannel channel, int timeout) throws Throwable {
        if (timeout > 0) {
            return "SO_TIMEOUT on a SocketChannel's stream";
        }
        if (!channel.getClass().getName().equals("sun.nio.ch.SocketChannelImpl")) {
            return "socket channel " + channel.getClass().getName() + " (only the JDK's own is supported)";
        }
        return new ChannelSource(channel, (ReentrantLock) JdkAccess.field(channel, "readLock"));
    }

    @Override
    public String unfit() {
        if (!channel.isBlocking()) {
            return "socket channel in non-blocking mode";
        }
        if (channel.socket().isInputShutdown()) {
            return "socket input is shut down";
        }
        return null;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        readLock.lock();
        try {
            // blockingRead: a closed or unconnected channel fails first (read does that), then the mode is checked
            if (channel.isOpen() && channel.isConnected() && !channel.isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            return channel.read(dst);
        } finally {
            readLock.unlock();
        }
    }
}
