package zc.corpus;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The receive side: {@code Files.copy(InputStream, Path, CopyOption...)} from a socket's stream, as scenarios
 * {@code filesReceive:<source>:<case>:<size>}. A sender thread sends {@code size} bytes of the corpus file (with
 * sendfile, so that its own writes barely count) and then, per case, closes, resets the connection or stalls. The
 * result line holds the returned count, the target's state, what the stream reads afterwards and whether the
 * socket is still open, the exception, and the write and read syscalls of the call.
 *
 * <p>Sources: {@code socket} (a connected Socket), {@code accepted} (an accepted one), {@code timeoutSocket} (with
 * SO_TIMEOUT, so NioSocketImpl reads non-blocking), {@code channel} ({@code socketChannel.socket().getInputStream()}),
 * {@code channelStream} ({@code Channels.newInputStream}), {@code timeoutChannel}, {@code nonBlockingChannel},
 * {@code tls}, {@code bytes}. Cases: {@code new}, {@code exists}, {@code replace}, {@code nullOption},
 * {@code badOption}, {@code dir}, {@code symlink}, {@code reset} (the peer resets after sending), {@code stall} (the
 * peer pauses longer than SO_TIMEOUT), {@code shutIn} (input shut down first), {@code eof} (stream read to its end
 * first), {@code interrupted} (the thread's interrupt flag set first).
 */
public final class Receives {
    private static final int STALL_TIMEOUT_MILLIS = 1000;

    private Receives() {
    }

    public static long filesReceive(InputStream in, Path target, CopyOption... options) throws IOException {
        return Files.copy(in, target, options);
    }

    static String run(Path dir, String scenario, String source, String kind, int size) throws Exception {
        Path src = CorpusMain.sourceFile(size);
        Path target = dir.resolve("received");
        Path linked = dir.resolve("linked");
        clean(target);
        Files.deleteIfExists(linked);
        CopyOption[] options = prepare(kind, target, linked);
        List<Closeable> cleanup = new ArrayList<>();
        try {
            Received r = open(source, kind, src, size, cleanup);
            if (kind.equals("shutIn")) {
                r.socket.shutdownInput();
            } else if (kind.equals("eof")) {
                rest(r);
            } else if (kind.equals("stall")) {
                r.socket.setSoTimeout(STALL_TIMEOUT_MILLIS);
            } else if (kind.equals("interrupted")) {
                Thread.currentThread().interrupt();
            }
            String value = "-";
            String exception = "-";
            long before = CorpusMain.syscw();
            long readsBefore = CorpusMain.syscr();
            try {
                value = String.valueOf(filesReceive(r.in, target, options));
            } catch (IOException | RuntimeException e) {
                exception = e.getClass().getName() + ": " + e.getMessage();
            }
            long syscw = CorpusMain.syscw() - before;
            long syscr = CorpusMain.syscr() - readsBefore;
            String interrupted = kind.equals("interrupted") ? ";interruptFlag=" + Thread.interrupted() : "";
            String after = rest(r) + ";open=" + !r.socket.isClosed() + interrupted;
            r.sender.join(TimeUnit.SECONDS.toMillis(30));
            String state = state(target) + (kind.equals("symlink") ? ";linked=" + state(linked) : "");
            return "RESULT|" + scenario + "|" + value + "|" + state + "|" + after + "|" + exception + "|" + syscw + "|"
                    + syscr;
        } finally {
            for (Closeable c : cleanup) {
                c.close();
            }
            clean(target);
            Files.deleteIfExists(linked);
        }
    }

    private static CopyOption[] prepare(String kind, Path target, Path linked) throws IOException {
        switch (kind) {
            case "exists":
                Files.writeString(target, "existing\n");
                return new CopyOption[0];
            case "replace":
                Files.writeString(target, "existing\n");
                return new CopyOption[] {StandardCopyOption.REPLACE_EXISTING};
            case "nullOption":
                return new CopyOption[] {null};
            case "badOption":
                return new CopyOption[] {StandardCopyOption.COPY_ATTRIBUTES};
            case "dir":
                Files.createDirectories(target);
                Files.writeString(target.resolve("inside"), "inside\n");
                return new CopyOption[] {StandardCopyOption.REPLACE_EXISTING};
            case "symlink":
                Files.writeString(linked, "linked\n");
                Files.createSymbolicLink(target, linked);
                return new CopyOption[] {StandardCopyOption.REPLACE_EXISTING};
            default:
                return new CopyOption[0];
        }
    }

    /** The stream to receive from, the socket it belongs to, and the thread sending into it. */
    private record Received(InputStream in, Socket socket, Thread sender) {
    }

    private static Received open(String source, String kind, Path src, int size, List<Closeable> cleanup)
            throws Exception {
        if (source.equals("tls")) {
            return tls(src, size, cleanup);
        }
        if (source.equals("accepted")) {
            ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            cleanup.add(server);
            Thread sender = sender(() -> SocketChannel.open(server.getLocalSocketAddress()), src, size, kind);
            Socket s = server.accept();
            cleanup.add(s);
            return new Received(s.getInputStream(), s, sender);
        }
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        cleanup.add(server);
        Thread sender = sender(server::accept, src, size, kind);
        InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
        if (source.endsWith("Socket") || source.equals("socket") || source.equals("bytes")) {
            Socket s = new Socket(address.getAddress(), address.getPort());
            cleanup.add(s);
            if (source.equals("timeoutSocket")) {
                s.setSoTimeout(5000);
            }
            InputStream in = source.equals("bytes") ? new ByteArrayInputStream(Files.readAllBytes(src)) : s.getInputStream();
            return new Received(in, s, sender);
        }
        SocketChannel ch = SocketChannel.open(address);
        cleanup.add(ch);
        switch (source) {
            case "channel":
                return new Received(ch.socket().getInputStream(), ch.socket(), sender);
            case "channelStream":
                return new Received(Channels.newInputStream(ch), ch.socket(), sender);
            case "timeoutChannel":
                ch.socket().setSoTimeout(5000);
                return new Received(ch.socket().getInputStream(), ch.socket(), sender);
            case "nonBlockingChannel":
                InputStream in = ch.socket().getInputStream();
                ch.configureBlocking(false);
                return new Received(in, ch.socket(), sender);
            default:
                throw new IllegalArgumentException(source);
        }
    }

    private interface Connect {
        SocketChannel get() throws IOException;
    }

    /** Sends {@code size} bytes by sendfile, then closes, resets (after the receiver drained them) or stalls. */
    private static Thread sender(Connect connect, Path src, int size, String kind) {
        Thread t = new Thread(() -> {
            try (SocketChannel ch = connect.get(); FileChannel f = FileChannel.open(src)) {
                for (long p = 0; p < size; ) {
                    p += f.transferTo(p, size - p, ch);
                }
                if (kind.equals("reset")) {
                    Thread.sleep(500);
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                } else if (kind.equals("stall")) {
                    Thread.sleep(STALL_TIMEOUT_MILLIS * 5 / 2);
                    ch.write(ByteBuffer.wrap(new byte[1000]));
                }
            } catch (Exception e) {
                // the receiver went away first: what it saw is the result
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Received tls(Path src, int size, List<Closeable> cleanup) throws Exception {
        SSLContext ctx = CorpusMain.tls();
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0);
        cleanup.add(server);
        Thread sender = new Thread(() -> {
            try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                o.write(Files.readAllBytes(src));
            } catch (IOException e) {
                // the receiver went away first
            }
        });
        sender.setDaemon(true);
        sender.start();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort());
        cleanup.add(s);
        return new Received(s.getInputStream(), s, sender);
    }

    /** Reads what is left in the stream (no copy: nothing is written). */
    private static String rest(Received r) {
        try {
            if (!r.socket.isClosed() && r.socket.getChannel() == null) {
                r.socket.setSoTimeout(10_000);
            }
            long n = 0;
            byte[] b = new byte[65536];
            for (int k; (k = r.in.read(b)) != -1; ) {
                n += k;
            }
            return "rest=" + n;
        } catch (IOException | RuntimeException e) {
            return "rest: " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String state(Path p) throws Exception {
        if (Files.isSymbolicLink(p)) {
            return "symlink";
        }
        if (Files.isDirectory(p)) {
            return "dir";
        }
        return Files.exists(p) ? CorpusMain.sha256(Files.readAllBytes(p)) : "absent";
    }

    private static void clean(Path target) throws IOException {
        if (Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(target.resolve("inside"));
        }
        Files.deleteIfExists(target);
    }
}
