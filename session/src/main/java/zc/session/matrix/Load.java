package zc.session.matrix;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The matrix's client: {@code clients} threads, each on one keep-alive connection, GET one path until
 * {@code requests} responses have arrived. Plain sockets and a reused buffer, so the client costs as little as
 * possible on a machine it shares with the server; every response must be a 200 of exactly the file's length.
 */
public final class Load {
    private static final int BUFFER = 256 * 1024;

    public record Result(long bytes, long requests, long wallNs) {
    }

    private static final String RESULT = "ZC-LOAD ";

    private Load() {
    }

    /** The client as its own process, for a client inside the veth namespace: prints one {@value #RESULT} line. */
    public static void main(String[] args) throws Exception {
        Result r = run(new InetSocketAddress(args[0], Integer.parseInt(args[1])), args[2], Long.parseLong(args[3]),
                Integer.parseInt(args[4]), Long.parseLong(args[5]));
        System.out.println(RESULT + r.bytes() + " " + r.requests() + " " + r.wallNs());
    }

    /**
     * {@link #run} in a JVM started by {@code prefix} (e.g. {@code ip netns exec NS}); its own clock times the load,
     * so the JVM's start-up is not counted.
     */
    static Result inProcess(List<String> prefix, InetSocketAddress server, String path, long expectedLength,
                            int clients, long requests) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), Load.class.getName(), server.getHostString(),
                String.valueOf(server.getPort()), path, String.valueOf(expectedLength), String.valueOf(clients),
                String.valueOf(requests)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            if (line.startsWith(RESULT)) {
                String[] f = line.substring(RESULT.length()).trim().split(" ");
                return new Result(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]));
            }
        }
        throw new IOException("the client in the namespace failed: " + out.strip());
    }

    public static Result run(InetSocketAddress server, String path, long expectedLength, int clients, long requests)
            throws IOException, InterruptedException {
        AtomicLong issued = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicReference<String> failure = new AtomicReference<>();
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + server.getHostString() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.connect(server, 10_000);
                    s.setSoTimeout(120_000);
                    InputStream in = new BufferedInputStream(s.getInputStream(), BUFFER);
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[BUFFER];
                    while (failure.get() == null && issued.getAndIncrement() < requests) {
                        out.write(request);
                        long length = readHead(in);
                        if (length != expectedLength) {
                            throw new IOException("GET " + path + " announced " + length + " bytes, not "
                                    + expectedLength);
                        }
                        for (long left = length; left > 0; ) {
                            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                            if (n < 0) {
                                throw new IOException("GET " + path + ": the connection closed "
                                        + left + " bytes before the end of the body");
                            }
                            left -= n;
                        }
                        bytes.addAndGet(length);
                        done.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }, "zc-matrix-client-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - start;
        if (failure.get() != null) {
            throw new IOException(failure.get());
        }
        return new Result(bytes.get(), done.get(), wall);
    }

    /** Reads a response head; returns its Content-Length after checking the status is 200. */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection before a response");
            }
            head.append((char) b);
            if (head.length() > 8192) {
                throw new IOException("response head over 8 KiB");
            }
        }
        String[] lines = head.toString().split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 200")) {
            throw new IOException("the server answered " + lines[0]);
        }
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
                return Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        throw new IOException("response without Content-Length");
    }
}
