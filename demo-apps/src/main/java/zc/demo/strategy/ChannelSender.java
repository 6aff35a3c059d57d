package zc.demo.strategy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/** Connection handling shared by the lessons that write into a blocking {@link SocketChannel}. */
abstract class ChannelSender implements NetworkSender {
    protected SocketChannel socket;
    protected DemoOptions options;

    @Override
    public void connect(InetSocketAddress receiver, DemoOptions options) throws IOException {
        this.options = options;
        this.socket = SocketChannel.open(receiver);
    }

    @Override
    public long finish() throws IOException {
        socket.shutdownOutput();
        return Acks.read(socket);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
