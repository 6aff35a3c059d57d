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
            case "receiveInterrupted" -> receiveInterrupted(dir);
            case "sysfsSize" -> sysfsSize(Path.of(args[2]));
            case "peerReset" -> peerReset(src, args[2].equals("buffered"));
            case "rewrittenInFlight" -> rewrittenInFlight(dir);
            case "truncatedRounds" -> truncatedRounds(src, dir);
            case "mappingsAfterCopy" -> mappingsAfterCopy(src, dir);
            case "generatedSink" -> GeneratedSink.run(dir, src);
            case "inFlight" -> inFlight(dir);
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
     * Issue 14, instance 1: a file whose stat size is more than it holds (sysfs says 4096 and holds a few bytes)
     * copied into a loopback socket. The copy runs in its own thread so that a spin shows as "stalled".
     */
    static String sysfsSize(Path file) throws Exception {
        byte[] expected = Files.readAllBytes(file);
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<byte[]> got = collector(server);
            CompletableFuture<String> copy = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try (Socket s = new Socket("127.0.0.1", server.getLocalPort());
                     InputStream in = new FileInputStream(file.toFile())) {
                    copy.complete(outcome(() -> Loops.longTotal(in, s.getOutputStream())));
                } catch (IOException e) {
                    copy.complete("threw=" + e);
                }
            });
            t.setDaemon(true);
            t.start();
            String outcome;
            try {
                outcome = copy.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return "stalled";
            }
            byte[] received = got.get(20, TimeUnit.SECONDS);
            return outcome + "|received=" + received.length + "|same=" + java.util.Arrays.equals(expected, received);
        }
    }

    /**
     * Issue 14, instance 3: an 8 MiB file; the peer reads 100,000 bytes, then closes with SO_LINGER 0. What the
     * loop reports, and where the source stands after it (at or past what the peer holds).
     */
    static String peerReset(Path src, boolean buffered) throws Exception {
        Path file = src.resolveSibling("reset-source-" + ProcessHandle.current().pid());
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(src), 8 << 20));
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> got = receiver(server, 100_000, true, 0);
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort());
                 FileInputStream in = new FileInputStream(file.toFile())) {
                OutputStream out = buffered ? new java.io.BufferedOutputStream(s.getOutputStream())
                        : s.getOutputStream();
                String outcome;
                try {
                    outcome = "completed|value=" + Loops.longTotal(in, out);
                } catch (IOException e) {
                    outcome = "threw=" + e;
                }
                long received = got.get();
                return outcome + "|received=" + received + "|positionAtOrPastReceived="
                        + (in.getChannel().position() >= received);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Issue 14, kind 2, pinned: a 64 KiB file of 'A' is copied into a socket whose reader has not read yet; the
     * application then rewrites the file in place with 'B'; how many 'B' bytes the reader then gets.
     */
    static String rewrittenInFlight(Path dir) throws Exception {
        Path file = dir.resolve("in-flight-" + ProcessHandle.current().pid());
        byte[] a = new byte[64 * 1024];
        java.util.Arrays.fill(a, (byte) 'A');
        Files.write(file, a);
        try (ServerSocket server = new ServerSocket(0)) {
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort()); Socket peer = server.accept()) {
                long total;
                try (InputStream in = new FileInputStream(file.toFile())) {
                    total = Loops.longTotal(in, s.getOutputStream());
                }
                byte[] b = a.clone();
                java.util.Arrays.fill(b, (byte) 'B');
                try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                    f.write(b);
                }
                s.shutdownOutput();
                byte[] received = peer.getInputStream().readAllBytes();
                int changed = 0;
                for (byte x : received) {
                    changed += x == 'B' ? 1 : 0;
                }
                return "total=" + total + "|received=" + received.length + "|rewrittenBytesReceived=" + changed;
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Issue 14, kind 2, measured: how many bytes sendfile (FileChannel.transferTo, as zc calls it) queues into a
     * loopback socket whose peer does not read (default buffers, autotuning on) and into a pipe, before either is
     * full; then the file is rewritten in place and the queued bytes are read: how many of them are the new ones.
     */
    static String inFlight(Path dir) throws Exception {
        Path file = dir.resolve("in-flight-" + ProcessHandle.current().pid());
        byte[] a = new byte[64 << 20];
        java.util.Arrays.fill(a, (byte) 'A');
        Files.write(file, a);
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            long socketQueued;
            long socketRewritten;
            try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()
                    .bind(new java.net.InetSocketAddress("127.0.0.1", 0));
                 java.nio.channels.SocketChannel out = java.nio.channels.SocketChannel.open(server.getLocalAddress());
                 java.nio.channels.SocketChannel peer = server.accept()) {
                out.configureBlocking(false);
                socketQueued = queue(f, out);
                rewrite(f, socketQueued);
                socketRewritten = drain(peer, socketQueued);
            }
            java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
            pipe.sink().configureBlocking(false);
            rewrite(f, 0);
            long pipeQueued = queue(f, pipe.sink());
            rewrite(f, pipeQueued);
            long pipeRewritten = drain(pipe.source(), pipeQueued);
            pipe.sink().close();
            pipe.source().close();
            return "socketQueued=" + socketQueued + "|socketRewrittenSeen=" + socketRewritten + "|pipeQueued="
                    + pipeQueued + "|pipeRewrittenSeen=" + pipeRewritten;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** transferTo from 0 until the non-blocking target takes no more; returns the bytes queued. */
    private static long queue(java.nio.channels.FileChannel f, java.nio.channels.WritableByteChannel target)
            throws IOException, InterruptedException {
        long pos = 0;
        for (int idle = 0; idle < 20 && pos < f.size(); ) {
            long n = f.transferTo(pos, f.size() - pos, target);
            pos += n;
            if (n == 0) {
                idle++;
                TimeUnit.MILLISECONDS.sleep(10); // let loopback move what it can into the peer's receive queue
            }
        }
        return pos;
    }

    /** Rewrites the first {@code bytes} of the file in place with 'B' ('A' again when 0: a fresh start). */
    private static void rewrite(java.nio.channels.FileChannel f, long bytes) throws IOException {
        byte[] b = new byte[1 << 20];
        java.util.Arrays.fill(b, (byte) (bytes == 0 ? 'A' : 'B'));
        long upTo = bytes == 0 ? f.size() : bytes;
        for (long at = 0; at < upTo; at += b.length) {
            f.write(java.nio.ByteBuffer.wrap(b, 0, (int) Math.min(b.length, upTo - at)), at);
        }
    }

    /** Reads {@code bytes} bytes; how many of them are 'B'. */
    private static long drain(java.nio.channels.ReadableByteChannel in, long bytes) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 << 20);
        long seen = 0;
        long changed = 0;
        while (seen < bytes) {
            b.clear().limit((int) Math.min(b.capacity(), bytes - seen));
            int n = in.read(b);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                changed += b.get(i) == 'B' ? 1 : 0;
            }
            seen += n;
        }
        return changed;
    }

    /**
     * Issue 14, kind 2: 30 rounds of a 2 MiB copy to a slow peer (64 KiB socket buffers on both sides, so most of
     * the copy is still running) whose source is truncated to a random length at a random moment. Counts the rounds
     * where the peer got bytes the file never held (zeros past the cut) and the copy still returned as complete,
     * apart by whether the cut came before the copy returned (right value: 0; zc fails the copy loudly instead) or
     * after (sendfile's queued pages: the documented difference).
     */
    static String truncatedRounds(Path src, Path dir) throws Exception {
        byte[] original = java.util.Arrays.copyOf(Files.readAllBytes(src), 2 << 20);
        Random random = new Random(14);
        int during = 0;
        int after = 0;
        int loud = 0;
        for (int round = 0; round < 30; round++) {
            Path file = dir.resolve("cut-" + ProcessHandle.current().pid());
            Files.write(file, original);
            long cut = random.nextInt(original.length);
            int delay = random.nextInt(150);
            long[] cutAt = {0};
            try (ServerSocket server = new ServerSocket()) {
                server.setReceiveBufferSize(64 * 1024);
                server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
                CompletableFuture<byte[]> got = slowCollector(server);
                Thread cutter = new Thread(() -> {
                    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                        Thread.sleep(delay);
                        f.setLength(cut);
                        cutAt[0] = System.nanoTime();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                boolean threw = false;
                long returned;
                try (Socket s = new Socket()) {
                    s.setSendBufferSize(64 * 1024);
                    s.connect(server.getLocalSocketAddress());
                    try (InputStream in = new FileInputStream(file.toFile())) {
                        cutter.start();
                        Loops.longTotal(in, s.getOutputStream());
                    } catch (IOException e) {
                        if (!String.valueOf(e.getMessage()).contains("shrank")) {
                            throw e;
                        }
                        threw = true;
                    }
                    returned = System.nanoTime();
                }
                cutter.join();
                byte[] received = got.get();
                boolean wrong = !java.util.Arrays.equals(received, 0, received.length, original, 0, received.length);
                if (wrong && !threw) {
                    if (cutAt[0] < returned) {
                        during++;
                    } else {
                        after++;
                    }
                }
                loud += threw ? 1 : 0;
            } finally {
                Files.deleteIfExists(file);
            }
        }
        System.err.println("truncatedRounds: " + loud + " of 30 copies failed loudly, " + after
                + " delivered wrong bytes after the copy had returned");
        return "cutDuringCopyWrongBytesUnannounced=" + during;
    }

    /** Accepts one connection and reads everything, 16 KiB per millisecond at most. */
    private static CompletableFuture<byte[]> slowCollector(ServerSocket server) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                byte[] b = new byte[16 * 1024];
                for (int k; (k = s.getInputStream().read(b)) != -1; ) {
                    all.write(b, 0, k);
                    TimeUnit.MILLISECONDS.sleep(1);
                }
                result.complete(all.toByteArray());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }

    /**
     * Issue 14, instance 4: a 64 MiB copy (strategy=mmap in the test); the file is closed and deleted; how many
     * mappings of it the process still has.
     */
    static String mappingsAfterCopy(Path src, Path dir) throws Exception {
        Path file = dir.resolve("mapped-" + ProcessHandle.current().pid() + ".bin");
        Files.copy(src, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long total;
        try (ServerSocket server = new ServerSocket(0)) {
            CompletableFuture<Long> got = receiver(server, Long.MAX_VALUE, false, 0);
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort());
                 InputStream in = new FileInputStream(file.toFile())) {
                total = Loops.longTotal(in, s.getOutputStream());
            }
            got.get();
        }
        Files.delete(file);
        long mappings = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains(file.getFileName().toString())).count();
        return "total=" + total + "|mappingsOfTheDeletedFile=" + mappings;
    }

    /** Accepts one connection and reads everything. */
    private static CompletableFuture<byte[]> collector(ServerSocket server) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                result.complete(s.getInputStream().readAllBytes());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
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

    /**
     * The receive side, interrupted: Files.copy(socket stream, Path) has read all the sender sent (1 MiB) and waits
     * for more, since the sender pauses 3 s before it closes; another thread interrupts it after 1.5 s. On a platform
     * thread the read ignores the interrupt and the copy ends when the sender closes; on a virtual thread (JDK 21+)
     * the interrupt closes the socket and the read throws "Closed by interrupt". The bytes in the target count too:
     * what was read before the interrupt must be there.
     */
    static String receiveInterrupted(Path dir) throws Exception {
        Path target = dir.resolve("received-interrupted-" + ProcessHandle.current().pid());
        Files.deleteIfExists(target);
        byte[] sent = new byte[1 << 20];
        new Random(3).nextBytes(sent);
        try (ServerSocket server = new ServerSocket(0)) {
            Thread sender = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream o = s.getOutputStream()) {
                    o.write(sent);
                    Thread.sleep(3000);
                } catch (Exception e) {
                    // the receiver closed
                }
            });
            sender.setDaemon(true);
            sender.start();
            Thread copier = Thread.currentThread();
            Thread interrupter = new Thread(() -> {
                try {
                    Thread.sleep(1500);
                    copier.interrupt();
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket s = new Socket("127.0.0.1", server.getLocalPort())) {
                interrupter.start();
                String outcome;
                try {
                    outcome = "completed|value=" + Files.copy(s.getInputStream(), target);
                } catch (IOException e) {
                    outcome = "threw=" + e;
                }
                boolean flag = Thread.interrupted();
                interrupter.join();
                return outcome + "|interruptFlag=" + flag + "|closed=" + s.isClosed() + "|targetEqualsSent="
                        + java.util.Arrays.equals(sent, Files.readAllBytes(target));
            }
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
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("shrank")) {
                    throw e;
                }
                cutter.join();
                return "failedLoudly|atMostFile=" + (got.get() <= SIZE);
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
     * Accepts one connection and reads until end of stream or exactly {@code limit} bytes (then resets it if
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
                for (int k; total < limit && (k = i.read(b, 0, (int) Math.min(b.length, limit - total))) != -1; ) {
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
