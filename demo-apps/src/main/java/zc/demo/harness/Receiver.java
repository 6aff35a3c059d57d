package zc.demo.harness;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.zip.CRC32C;
import zc.proc.Counters;
import zc.proc.SelfCounters;

/**
 * The receiving JVM of every network lesson: accepts one connection, reads to end of stream while computing the
 * CRC32C, answers with the byte count, and reports its own counters. It is the same for every strategy, so its
 * cost is the baseline the senders are compared against.
 */
public final class Receiver {
    private static final int BUFFER = 64 * 1024;

    private Receiver() {
    }

    /** Listens and announces the port ({@code ZC-LISTENING}); accepts time out after {@code timeoutMillis}. */
    public static ServerSocket listen(InetAddress bind, int port, int timeoutMillis) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(bind, port), 1);
        server.setSoTimeout(timeoutMillis);
        System.out.println(Protocol.LISTENING + server.getLocalPort());
        System.out.flush();
        return server;
    }

    /** Receives one connection to its end and confirms the byte count. */
    public static RunResult receive(String strategy, ServerSocket server) throws IOException {
        SelfCounters counters = SelfCounters.open();
        try (Socket socket = server.accept()) {
            socket.setSoTimeout(server.getSoTimeout());
            InputStream in = socket.getInputStream();
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[BUFFER];
            long total = 0;
            Counters before = counters.read();
            int n;
            while ((n = in.read(buf)) != -1) {
                crc.update(buf, 0, n);
                total += n;
            }
            Counters cost = counters.read().minus(before);
            new DataOutputStream(socket.getOutputStream()).writeLong(total);
            socket.shutdownOutput();
            return new RunResult("receiver", strategy, total, Checksums.hex(crc), cost, counters.sources(),
                    Map.of("bufferBytes", BUFFER));
        }
    }
}
