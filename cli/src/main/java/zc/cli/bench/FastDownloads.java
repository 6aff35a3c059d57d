package zc.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Downloads as fast as the client can read: {@code clients} threads fetch the fast file until {@code downloads} are
 * done, each on a new connection; every byte is checked against the file. Returns the wall time and each download's
 * latency (connect to last byte).
 */
final class FastDownloads {
    private FastDownloads() {
    }

    record Result(long wallNanos, long bytes, List<Long> latencyNanos) {
    }

    static Result run(InetSocketAddress server, byte[] content, int clients, int downloads) throws Exception {
        AtomicInteger left = new AtomicInteger(downloads);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                all.add(pool.submit(() -> {
                    byte[] buf = new byte[64 << 10];
                    while (left.getAndDecrement() > 0) {
                        latencies.add(download(server, content, buf));
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(System.nanoTime() - start, (long) downloads * content.length, List.copyOf(latencies));
    }

    private static long download(InetSocketAddress server, byte[] content, byte[] buf) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(120_000);
            s.getOutputStream().write('f');
            InputStream in = s.getInputStream();
            int at = 0;
            for (int n; (n = in.read(buf)) != -1; at += n) {
                if (at + n > content.length || Arrays.mismatch(buf, 0, n, content, at, at + n) >= 0) {
                    throw new IOException("a fast download differs from the file near byte " + at);
                }
            }
            if (at != content.length) {
                throw new IOException("a fast download ended after " + at + " of " + content.length + " bytes");
            }
        }
        return System.nanoTime() - t0;
    }
}
