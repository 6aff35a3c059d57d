package zc.demo.strategy;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sending half of a network lesson. The harness connects, starts the counters, calls {@link #send}, then
 * {@link #finish}, and stops the counters once the receiver has confirmed every byte: only the transfer is measured.
 */
public interface NetworkSender extends Closeable {

    void connect(InetSocketAddress receiver, DemoOptions options) throws IOException;

    /** Sends the whole file: the lesson itself. */
    void send(Path file) throws IOException;

    /** Half-closes the connection and returns the byte count the receiver reports. */
    long finish() throws IOException;

    /** Facts about this run worth printing beside the counters (buffer size, interface features...). */
    default Map<String, Object> details() {
        return Map.of();
    }
}
