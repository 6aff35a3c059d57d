package zc.demo.broker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** One connection to a {@link LogBroker}, speaking {@link Wire}. */
final class BrokerClient implements AutoCloseable {
    private final SocketChannel channel;
    private final InputStream in;

    BrokerClient(String host, int port) throws IOException {
        channel = SocketChannel.open(new InetSocketAddress(InetAddress.getByName(host), port));
        // Request-response over small writes: without it, Nagle and delayed ACKs stall each request ~40 ms.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        in = new BufferedInputStream(Channels.newInputStream(channel), 256 * 1024);
    }

    long produce(byte[] payload) throws IOException {
        ByteBuffer[] request = {
            ByteBuffer.wrap(("PRODUCE " + payload.length + "\n").getBytes(StandardCharsets.US_ASCII)),
            ByteBuffer.wrap(payload)};
        while (request[1].hasRemaining()) {
            channel.write(request);
        }
        return Long.parseLong(expect("OK"));
    }

    byte[] fetch(long offset, int max) throws IOException {
        Wire.writeLine(channel, "FETCH " + offset + " " + max);
        return Wire.readExactly(in, Integer.parseInt(expect("DATA")));
    }

    long end() throws IOException {
        Wire.writeLine(channel, "END");
        return Long.parseLong(expect("END"));
    }

    private String expect(String word) throws IOException {
        String line = Wire.readLine(in);
        if (line == null || !line.startsWith(word + " ")) {
            throw new IOException("broker answered '" + line + "' instead of " + word);
        }
        return line.substring(word.length() + 1);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
