package zc.cli.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate-limited downloaders: each of N connections reads at most {@code chunk} bytes every {@code interval}, with a
 * small receive buffer, so that the server's thread serving it fills the socket, waits, and is woken again all the
 * time. One platform thread drives them all (non-blocking reads); every byte is checked against the file, and a
 * download that ends starts again.
 */
final class SlowClients implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 16 << 10;

    private final InetSocketAddress server;
    private final byte[] content;
    private final int chunk;
    private final long intervalNanos;
    private final List<SocketChannel> channels = new ArrayList<>();
    private final long[] offsets;
    private final boolean[] started;
    private final AtomicInteger receiving = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final Thread driver;
    private volatile boolean stop;
    private volatile String failure;

    SlowClients(InetSocketAddress server, byte[] content, int clients, int chunk, long intervalMillis)
            throws IOException {
        this.server = server;
        this.content = content;
        this.chunk = chunk;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.offsets = new long[clients];
        this.started = new boolean[clients];
        try {
            for (int i = 0; i < clients; i++) {
                channels.add(connect());
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        driver = new Thread(this::drive, "zc-slow-clients");
        driver.setDaemon(true);
        driver.start();
    }

    /** Bytes all slow clients received so far. */
    long bytes() {
        return bytes.get();
    }

    /** Whether every slow client has received a byte since it connected (its server thread is sending). */
    boolean allReceiving() {
        return receiving.get() == offsets.length;
    }

    /** Why a slow client failed (wrong bytes, a reset), or null. */
    String failure() {
        return failure;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
            ch.connect(server);
            ch.write(ByteBuffer.wrap(new byte[] {'s'}));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    private void drive() {
        ByteBuffer buf = ByteBuffer.allocate(chunk);
        long next = System.nanoTime();
        try {
            while (!stop) {
                for (int i = 0; i < channels.size() && !stop; i++) {
                    buf.clear();
                    int n = channels.get(i).read(buf);
                    if (n > 0) {
                        check(i, buf.array(), n);
                    } else if (n < 0) {
                        if (offsets[i] != content.length) {
                            throw new IOException("a slow download ended after " + offsets[i] + " of "
                                    + content.length + " bytes");
                        }
                        channels.get(i).close();
                        channels.set(i, connect());
                        offsets[i] = 0;
                    }
                }
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else {
                    next = System.nanoTime(); // behind: the rate limit is a ceiling, not a catch-up
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check(int client, byte[] got, int n) throws IOException {
        int at = (int) offsets[client];
        if (at + n > content.length || Arrays.mismatch(got, 0, n, content, at, at + n) >= 0) {
            throw new IOException("a slow download differs from the file near byte " + at);
        }
        offsets[client] += n;
        bytes.addAndGet(n);
        if (!started[client]) {
            started[client] = true;
            receiving.incrementAndGet();
        }
    }

    @Override
    public void close() {
        stop = true;
        if (driver != null) {
            try {
                driver.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SocketChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
