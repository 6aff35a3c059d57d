package zc.demo.broker;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import zc.demo.harness.Args;
import zc.demo.harness.Protocol;

/**
 * Scenario: a small message-log broker in the style of Kafka and RocketMQ. Producers append through a memory
 * mapping ({@link MessageLog}); consumers are served in one of two ways, switchable with {@code --serve}:
 * <ul>
 *   <li>{@code sendfile} (Kafka-like): {@code FileChannel.transferTo} from the log file to the consumer's socket;
 *       the bytes go from page cache to socket inside the kernel.</li>
 *   <li>{@code mmap} (RocketMQ-like): a slice of the mapping written to the socket; one CPU copy from the mapped
 *       pages, no read(2).</li>
 * </ul>
 *
 * <pre>
 *   java -cp zc-demos.jar zc.demo.broker.LogBroker --dir DIR [--serve sendfile|mmap] [--port 9092]
 *        [--bind 127.0.0.1] [--capacity 1g]
 * </pre>
 *
 * One thread per connection; the wire format is in {@link Wire}.
 */
public final class LogBroker {
    private final MessageLog log;
    private final boolean sendfile;

    LogBroker(MessageLog log, boolean sendfile) {
        this.log = log;
        this.sendfile = sendfile;
    }

    public static void main(String[] argv) throws IOException {
        Args args;
        String serve;
        Path dir;
        try {
            args = new Args(argv, 0);
            dir = Path.of(args.require("dir"));
            serve = args.get("serve", "sendfile").toLowerCase(Locale.ROOT);
            if (!serve.equals("sendfile") && !serve.equals("mmap")) {
                throw new IllegalArgumentException("--serve must be sendfile or mmap, not '" + serve + "'");
            }
            Files.createDirectories(dir);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("LogBroker: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (MessageLog log = MessageLog.open(dir.resolve("00000000.log"), args.size("capacity", 1L << 30));
             ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName(args.get("bind", "127.0.0.1")),
                    Integer.parseInt(args.get("port", "9092"))));
            LogBroker broker = new LogBroker(log, serve.equals("sendfile"));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            System.out.println("LogBroker on port " + port + ", serving consumers with " + serve + ", log end "
                    + log.end());
            System.out.println(Protocol.LISTENING + port);
            System.out.flush();
            while (true) {
                SocketChannel client = listener.accept();
                Thread t = new Thread(() -> broker.serve(client), "broker-" + client.socket().getPort());
                t.setDaemon(true);
                t.start();
            }
        }
    }

    void serve(SocketChannel client) {
        try (client) {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            InputStream in = new BufferedInputStream(Channels.newInputStream(client));
            for (String line; (line = Wire.readLine(in)) != null; ) {
                String[] cmd = line.split(" ");
                try {
                    switch (cmd[0]) {
                        case "PRODUCE" -> {
                            byte[] payload = Wire.readExactly(in, Integer.parseInt(cmd[1]));
                            Wire.writeLine(client, "OK " + log.append(payload));
                        }
                        case "FETCH" -> fetch(client, Long.parseLong(cmd[1]), Long.parseLong(cmd[2]));
                        case "END" -> Wire.writeLine(client, "END " + log.end());
                        default -> Wire.writeLine(client, "ERR unknown command");
                    }
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    Wire.writeLine(client, "ERR malformed command");
                }
            }
        } catch (IOException e) {
            // the client went away; its connection is closed
        }
    }

    private void fetch(SocketChannel client, long offset, long max) throws IOException {
        long end = log.end();
        if (offset < 0 || offset > end || max < 0) {
            Wire.writeLine(client, "ERR offset out of range");
            return;
        }
        int n = (int) Math.min(Math.min(max, end - offset), Integer.MAX_VALUE);
        Wire.writeLine(client, "DATA " + n);
        if (sendfile) {
            for (long pos = offset; pos < offset + n; ) {
                pos += log.channel().transferTo(pos, offset + n - pos, client);
            }
        } else {
            ByteBuffer slice = log.slice(offset, n);
            while (slice.hasRemaining()) {
                client.write(slice);
            }
        }
    }
}
