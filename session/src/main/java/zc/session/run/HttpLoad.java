package zc.session.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * zc's own HTTP load: {@code concurrency} clients send GETs round-robin over the URLs until the duration has passed
 * or the number of requests is reached. Every response must be 200 with the length it announces (and the sha256
 * given); the first that is not stops the load and fails the run.
 */
final class HttpLoad {
    record Result(long bytes, long requests) {
    }

    private HttpLoad() {
    }

    static Result run(Workload.Http w) throws RunFailure, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong bytes = new AtomicLong();
        AtomicLong issued = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        long deadline = w.requests() > 0 ? Long.MAX_VALUE : System.nanoTime() + w.duration().toNanos();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < w.concurrency(); c++) {
            Thread t = new Thread(() -> {
                while (failure.get() == null && System.nanoTime() < deadline) {
                    long n = issued.getAndIncrement();
                    if (w.requests() > 0 && n >= w.requests()) {
                        return;
                    }
                    URI uri = w.urls().get((int) (n % w.urls().size()));
                    try {
                        bytes.addAndGet(get(client, uri, w.sha256()));
                        done.incrementAndGet();
                    } catch (RunFailure e) {
                        failure.compareAndSet(null, e.getMessage());
                    } catch (IOException e) {
                        failure.compareAndSet(null, "GET " + uri + " failed: " + e);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "zc-http-" + c);
            t.setDaemon(true);
            t.start();
            clients.add(t);
        }
        try {
            for (Thread t : clients) {
                t.join();
            }
        } finally {
            clients.forEach(Thread::interrupt);
        }
        if (failure.get() != null) {
            throw new RunFailure(failure.get());
        }
        return new Result(bytes.get(), done.get());
    }

    private static long get(HttpClient client, URI uri, String sha256)
            throws IOException, InterruptedException, RunFailure {
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(uri).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        MessageDigest md = sha256 == null ? null : sha256();
        long n = 0;
        try (InputStream body = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int k; (k = body.read(buf)) != -1; ) {
                n += k;
                if (md != null) {
                    md.update(buf, 0, k);
                }
            }
        }
        if (r.statusCode() != 200) {
            throw new RunFailure("GET " + uri + " answered " + r.statusCode());
        }
        long announced = r.headers().firstValueAsLong("content-length").orElse(n);
        if (announced != n) {
            throw new RunFailure("GET " + uri + " announced " + announced + " bytes and sent " + n);
        }
        if (md != null && !HexFormat.of().formatHex(md.digest()).equalsIgnoreCase(sha256)) {
            throw new RunFailure("GET " + uri + ": the body's sha256 is not " + sha256);
        }
        return n;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
