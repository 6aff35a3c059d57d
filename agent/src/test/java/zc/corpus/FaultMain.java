package zc.corpus;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Copy loops under faults, one per run: {@code FaultMain <dir> <fault>}. Prints {@code RESULT|fault|key=value...}
 * with what the application can observe; the test compares mode=off with mode=rewrite where the outcome does not
 * depend on timing, and checks invariants where it does.
 */
public final class FaultMain {
    private static final int SIZE = 64 << 20;

    public static void main(String[] args) throws Exception {
        if (Boolean.getBoolean("corpus.virtual") && !Thread.currentThread().getClass().getName().contains("Virtual")) {
            // -Dcorpus.virtual=true: the whole fault, its sockets and streams, on one virtual thread (JDK 21+)
            CorpusMain.onVirtualThread(() -> {
                main(args);
                return "";
            });
            return;
        }
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("fault-source.bin");
        if (!Files.exists(src) || Files.size(src) != SIZE) {
            byte[] b = new byte[SIZE];
            new Random(1).nextBytes(b);
            Path tmp = dir.resolve("fault-source-" + ProcessHandle.current().pid());
            Files.write(tmp, b);
            Files.move(tmp, src, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String result = switch (args[1]) {
            case "peerCloses" -> peerCloses(src);
            case "concurrentClose" -> concurrentClose(src, dir, false);
            case "concurrentCloseNonBlocking" -> concurrentClose(src, dir, true);
            case "truncated" -> truncated(src, dir);
            case "interrupted" -> interrupted(src);
            case "soTimeout" -> soTimeout(src);
            case "diskFull" -> diskFull(src, Path.of(args[2]));
            case "receiveConcurrentClose" -> receiveConcurrentClose(dir, false);
            case "receiveConcurrentCloseTimed" -> receiveConcurrentClose(dir, true);
            default -> throw new IllegalArgumentException(args[1]);
        };
        System.out.println("RESULT|" + args[1] + "|" + result);
    }

    /** The receiver resets the connection after 1 MiB. */
    static String peerCloses(Path src) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> got = receiver(server, 1 << 20, true, 0);
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort()); InputStream in = new FileInputStream(src.toFile())) {
                String outcome = outcome(() -> Loops.longTotal(in, s.getOutputStream()));
                return outcome + "|received<=" + (got.get() <= SIZE);
            }
        }
    }

    /**
     * Another thread closes the socket mid-transfer and at once opens files, which reuse the descriptor number:
     * not one byte may land in them.
     */
    static String concurrentClose(Path src, Path dir, boolean timedReadFirst) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            receiver(server, Long.MAX_VALUE, false, 2);
            Socket s = new Socket("127.0.0.1", server.getLocalPort());
            s.setSendBufferSize(64 * 1024);
            if (timedReadFirst) {
                s.setSoTimeout(20);
                try {
                    s.getInputStream().read();
                } catch (SocketTimeoutException expected) {
                    // the socket is non-blocking from now on
                }
            }
            List<Path> victims = new ArrayList<>();
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    s.close();
                    for (int i = 0; i < 8; i++) {
                        Path v = dir.resolve("victim-" + ProcessHandle.current().pid() + "-" + i);
                        victims.add(v);
                        new FileOutputStream(v.toFile()).close();
                        // reopen and hold: the freed descriptor numbers now name these files
                        new FileOutputStream(v.toFile(), true);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            closer.start();
            String outcome;
            try (InputStream in = new FileInputStream(src.toFile())) {
                outcome = outcome(() -> Loops.longTotal(in, s.getOutputStream()));
            }
            closer.join();
            long landed = 0;
            for (Path v : victims) {
                landed += Files.size(v);
            }
            return outcome.replaceAll("\\|value=.*", "") + "|landedInOtherFiles=" + landed;
        }
    }

    /**
     * The receive side: Files.copy(socket stream, Path) reads zeros from a slow sender; another thread closes the
     * socket mid-transfer and at once opens files full of 'V', which reuse the descriptor number: not one of their
     * bytes may reach the target. {@code timed}: with SO_TIMEOUT, so NioSocketImpl reads non-blocking and polls.
     */
    static String receiveConcurrentClose(Path dir, boolean timed) throws Exception {
        Path target = dir.resolve("received-" + ProcessHandle.current().pid());
        Files.deleteIfExists(target);
        try (ServerSocket server = new ServerSocket(0)) {
            zeroSender(server);
            Socket s = new Socket("127.0.0.1", server.getLocalPort());
            if (timed) {
                s.setSoTimeout(10_000);
            }
            List<InputStream> victims = new ArrayList<>();
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(500);
                    s.close();
                    for (int i = 0; i < 8; i++) {
                        Path v = dir.resolve("victim-" + ProcessHandle.current().pid() + "-" + i);
                        byte[] marks = new byte[64 * 1024];
                        java.util.Arrays.fill(marks, (byte) 'V');
                        Files.write(v, marks);
                        victims.add(new FileInputStream(v.toFile())); // held open: the freed numbers name these
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            closer.start();
            String outcome;
            try {
                outcome = "completed|value=" + Files.copy(s.getInputStream(), target);
            } catch (IOException e) {
                outcome = "threw=" + e; // with the message: a read on a freed descriptor fails differently
            }
            closer.join();
            for (InputStream v : victims) {
                v.close();
            }
            boolean leaked = false;
            for (byte b : Files.readAllBytes(target)) {
                leaked |= b != 0;
            }
            return outcome.replaceAll("\\|value=.*", "") + "|victimBytesInTarget=" + leaked;
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /** Accepts one connection and sends zeros, 16 KiB every 2 ms, until the connection fails. */
    private static void zeroSender(ServerSocket server) {
        Thread t = new Thread(() -> {
            try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                byte[] zeros = new byte[16 * 1024];
                for (;;) {
                    o.write(zeros);
                    TimeUnit.MILLISECONDS.sleep(2);
                }
            } catch (Exception e) {
                // the receiver closed
            }
        });
        t.setDaemon(true);
        t.start();
    }

    /** The source is truncated to 1 MiB, then appended to, while the copy runs. */
    static String truncated(Path src, Path dir) throws Exception {
        Path copy = dir.resolve("truncated-" + ProcessHandle.current().pid() + ".bin");
        Files.copy(src, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> got = receiver(server, Long.MAX_VALUE, false, 1);
            Thread cutter = new Thread(() -> {
                try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                    Thread.sleep(200);
                    f.setLength(1 << 20);
                    f.seek(1 << 20);
                    f.write(new byte[100]);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            cutter.start();
            long total;
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort());
                 InputStream in = new FileInputStream(copy.toFile())) {
                total = Loops.longTotal(in, s.getOutputStream());
            }
            cutter.join();
            return "ended|totalEqualsReceived=" + (total == got.get()) + "|atMostFile=" + (total <= SIZE);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** The copying thread is interrupted: platform-thread stream I/O ignores it and keeps the flag. */
    static String interrupted(Path src) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> got = receiver(server, Long.MAX_VALUE, false, 0);
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort()); InputStream in = new FileInputStream(src.toFile())) {
                Thread.currentThread().interrupt();
                String outcome = outcome(() -> Loops.longTotal(in, s.getOutputStream()));
                boolean flag = Thread.interrupted();
                if (s.isClosed()) {
                    // on a virtual thread (JDK 21+) interrupted socket I/O closes the socket: how far it got is timing
                    return outcome + "|interruptFlag=" + flag + "|closed";
                }
                s.getOutputStream().write(new byte[10]); // the socket is still open and usable
                s.shutdownOutput();
                return outcome + "|interruptFlag=" + flag + "|received=" + got.get();
            }
        }
    }

    /** A timed read first: NioSocketImpl then switches the socket to non-blocking for good. */
    static String soTimeout(Path src) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> got = receiver(server, Long.MAX_VALUE, false, 0);
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort()); InputStream in = new FileInputStream(src.toFile())) {
                s.setSoTimeout(20);
                try {
                    s.getInputStream().read();
                } catch (SocketTimeoutException expected) {
                    // now non-blocking
                }
                String outcome = outcome(() -> Loops.longTotal(in, s.getOutputStream()));
                s.shutdownOutput();
                return outcome + "|received=" + got.get();
            }
        }
    }

    /** The target file system is full. */
    static String diskFull(Path src, Path smallFs) throws Exception {
        Path target = smallFs.resolve("full.bin");
        try (InputStream in = new FileInputStream(src.toFile()); OutputStream out = new FileOutputStream(target.toFile())) {
            return outcome(() -> Loops.longTotal(in, out)).replaceAll("\\|value=.*", "");
        } finally {
            Files.deleteIfExists(target);
        }
    }

    private interface Copy {
        long run() throws IOException;
    }

    private static String outcome(Copy copy) {
        try {
            return "completed|value=" + copy.run();
        } catch (IOException e) {
            return "threw=" + e.getClass().getName();
        }
    }

    /**
     * Accepts one connection and reads until end of stream or {@code limit} bytes (then resets the connection if
     * {@code reset}); sleeps {@code slowMillis} between reads to keep the sender's buffer full.
     */
    private static CompletableFuture<Long> receiver(ServerSocket server, long limit, boolean reset, int slowMillis) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            long total = 0;
            try (Socket s = server.accept()) {
                s.setReceiveBufferSize(64 * 1024);
                InputStream i = s.getInputStream();
                byte[] b = new byte[16 * 1024];
                for (int k; total < limit && (k = i.read(b)) != -1; ) {
                    total += k;
                    if (slowMillis > 0) {
                        TimeUnit.MILLISECONDS.sleep(slowMillis);
                    }
                }
                if (reset) {
                    s.setSoLinger(true, 0);
                }
            } catch (Exception e) {
                // the sender closed on us: what we got is the answer
            }
            result.complete(total);
        });
        t.setDaemon(true);
        t.start();
        return result;
    }
}
