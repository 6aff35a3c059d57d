package zc.corpus;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs corpus scenarios {@code shape:source:sink:size} in this JVM (and the receive side's
 * {@code filesReceive:source:case:size}, see {@link Receives}), one result line each:
 * {@code RESULT|scenario|value|sink sha-256|source position|exception|write syscalls}. Run once with
 * {@code mode=off} and once with {@code mode=rewrite}: everything but the syscall count must be equal.
 */
public final class CorpusMain {
    private static Path dir;

    public static void main(String[] args) throws Exception {
        dir = Path.of(args[0]);
        boolean virtual = Boolean.getBoolean("corpus.virtual");
        for (int i = 1; i < args.length; i++) {
            String scenario = args[i];
            System.out.println(virtual ? onVirtualThread(() -> run(scenario)) : run(scenario));
        }
    }

    /**
     * Runs {@code task} on a new virtual thread (JDK 21+, {@code -Dcorpus.virtual=true}) and waits for it: the
     * whole scenario, its sockets and streams included, lives on that thread, as a request does on a server that
     * runs each request on one. Reflection: the corpus compiles for JDK 17.
     */
    static String onVirtualThread(java.util.concurrent.Callable<String> task) throws Exception {
        java.util.concurrent.FutureTask<String> f = new java.util.concurrent.FutureTask<>(task);
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Thread t = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                .invoke(builder, f);
        t.join();
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    static String run(String scenario) throws Exception {
        String[] p = scenario.split(":");
        String shape = p[0];
        String source = p[1];
        String sink = p[2];
        int size = Integer.parseInt(p[3]);
        if (shape.equals("filesReceive")) {
            return Receives.run(dir, scenario, source, sink, size);
        }
        Path src = sourceFile(size);
        Path target = dir.resolve("target-" + ProcessHandle.current().pid() + ".bin");
        Files.deleteIfExists(target);
        List<Closeable> cleanup = new ArrayList<>();
        InputStream in = null;
        Sink out = null;
        String value = "-";
        String exception = "-";
        long syscw = 0;
        try {
            in = source(source, src, size, cleanup);
            out = sink(sink, target, cleanup);
            Helpers.path = src;
            Loops.size = size;
            Method m = method(shape);
            long before = syscw();
            try {
                value = String.valueOf(m.invoke(null, in, out.stream));
            } catch (InvocationTargetException e) {
                exception = e.getCause().getClass().getName() + ": " + e.getCause().getMessage();
            }
            syscw = syscw() - before;
            String position = position(in);
            out.stream.close();
            String hash = out.hash.get();
            return "RESULT|" + scenario + "|" + value + "|" + hash + "|" + position + "|" + exception + "|" + syscw;
        } finally {
            if (in != null) {
                in.close();
            }
            for (Closeable c : cleanup) {
                c.close();
            }
        }
    }

    private static Method method(String name) throws NoSuchMethodException {
        for (Class<?> c : List.of(Loops.class, Ranges.class, TryRanges.class, MinOrderRanges.class)) {
            try {
                return c.getMethod(name, InputStream.class, OutputStream.class);
            } catch (NoSuchMethodException elsewhere) {
                // the next class
            }
        }
        return Helpers.class.getMethod(name, InputStream.class, OutputStream.class);
    }

    static Path sourceFile(int size) throws IOException {
        Path f = dir.resolve("source-" + size + ".bin");
        if (!Files.exists(f) || Files.size(f) != size) {
            byte[] b = new byte[size];
            new Random(size).nextBytes(b);
            Path tmp = dir.resolve("source-" + size + "-" + ProcessHandle.current().pid() + ".tmp");
            Files.write(tmp, b);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    private static InputStream source(String kind, Path src, int size, List<Closeable> cleanup) throws Exception {
        switch (kind) {
            case "file":
                return new FileInputStream(src.toFile());
            case "offset": {
                FileInputStream in = new FileInputStream(src.toFile());
                in.skip(Math.min(100, size));
                return in;
            }
            case "buffered":
                return new BufferedInputStream(new FileInputStream(src.toFile()));
            case "bufferedRead": {
                // a buffered stream that has already read: its buffer holds bytes the copy must send first
                BufferedInputStream in = new BufferedInputStream(new FileInputStream(src.toFile()), 4096);
                in.read(new byte[Math.min(10, size)]);
                return in;
            }
            case "bytes":
                return new ByteArrayInputStream(Files.readAllBytes(src));
            case "channel": // sun.nio.ch.ChannelInputStream over a FileChannel
                return Files.newInputStream(src);
            case "channelOffset": {
                InputStream in = Files.newInputStream(src);
                in.skip(Math.min(100, size));
                return in;
            }
            case "channelsNew": { // Channels.newInputStream of a channel the application also holds
                java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(src);
                ch.position(Math.min(7, size));
                return Channels.newInputStream(ch);
            }
            case "channelWriteOnly": { // reads fail with NonReadableChannelException, with or without zc
                Path w = dir.resolve("writeonly-" + ProcessHandle.current().pid() + ".bin");
                Files.copy(src, w, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                cleanup.add(() -> Files.deleteIfExists(w));
                return Channels.newInputStream(java.nio.channels.FileChannel.open(w,
                        java.nio.file.StandardOpenOption.WRITE));
            }
            case "bufferedChannel": {
                BufferedInputStream in = new BufferedInputStream(Files.newInputStream(src), 4096);
                in.read(new byte[Math.min(10, size)]);
                return in;
            }
            case "guavaLimit": // three quarters of the file, Guava's ByteStreams.limit
                return com.google.common.io.ByteStreams.limit(new FileInputStream(src.toFile()), size * 3L / 4);
            case "guavaLimitChannel": { // a range: skip 100, then half the file, from Files.newInputStream
                InputStream in = Files.newInputStream(src);
                in.skip(Math.min(100, size));
                return com.google.common.io.ByteStreams.limit(in, size / 2);
            }
            case "guavaLimitPastEnd": // a limit past the end of the file: the file's end comes first
                return com.google.common.io.ByteStreams.limit(Files.newInputStream(src), size + 10L);
            case "ciBounded", "ciBoundedChannel", "ciBoundedExact", "ciBoundedPastEnd", "ciBoundedUnlimited",
                    "ciBoundedAfterRead", "ciBoundedOnMax", "ciBoundedSubclass", "ciBoundedBuffered":
                return CommonsBounded.source(kind, src, size);
            case "fisSubclass": // overrides close only: reads as a FileInputStream
                return new ClosingFileInputStream(src.toFile());
            case "fisSubclassReads": // overrides read: declined
                return new CountingFileInputStream(src.toFile());
            case "fifo": {
                Path fifo = dir.resolve("fifo-" + ProcessHandle.current().pid());
                Files.deleteIfExists(fifo);
                new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
                Thread writer = new Thread(() -> {
                    try (OutputStream w = new FileOutputStream(fifo.toFile())) {
                        w.write(Files.readAllBytes(src));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.start();
                cleanup.add(() -> Files.deleteIfExists(fifo));
                return new FileInputStream(fifo.toFile());
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    /** A FileInputStream subclass that overrides nothing that reads. */
    static final class ClosingFileInputStream extends FileInputStream {
        int closes;

        ClosingFileInputStream(java.io.File f) throws IOException {
            super(f);
        }

        @Override
        public void close() throws IOException {
            closes++;
            super.close();
        }
    }

    /** A FileInputStream subclass that counts its reads: its read must run for every chunk. */
    static final class CountingFileInputStream extends FileInputStream {
        long reads;

        CountingFileInputStream(java.io.File f) throws IOException {
            super(f);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            reads++;
            return super.read(b, off, len);
        }
    }

    private record Sink(OutputStream stream, Hash hash) {
    }

    private interface Hash {
        String get() throws Exception;
    }

    private static Sink sink(String kind, Path target, List<Closeable> cleanup) throws Exception {
        Hash ofFile = () -> sha256(Files.readAllBytes(target));
        switch (kind) {
            case "file":
                return new Sink(new FileOutputStream(target.toFile()), ofFile);
            case "closedFile": {
                // every write fails: the loops' exceptions (and the handlers that store them) are compared
                FileOutputStream closed = new FileOutputStream(target.toFile());
                closed.close();
                return new Sink(closed, ofFile);
            }
            case "append":
                Files.write(target, "existing\n".getBytes());
                return new Sink(new FileOutputStream(target.toFile(), true), ofFile);
            case "bufferedFile": {
                BufferedOutputStream b = new BufferedOutputStream(new FileOutputStream(target.toFile()));
                b.write("buffered prefix".getBytes()); // must reach the file before the copied bytes
                return new Sink(b, ofFile);
            }
            case "gzip":
                return new Sink(new GZIPOutputStream(new FileOutputStream(target.toFile())), ofFile);
            case "data":
                return new Sink(new DataOutputStream(new FileOutputStream(target.toFile())), ofFile);
            case "print":
                return new Sink(new PrintStream(new FileOutputStream(target.toFile())), ofFile);
            case "checked":
                return new Sink(new CheckedOutputStream(new FileOutputStream(target.toFile()), new CRC32()), ofFile);
            case "digest":
                return new Sink(new DigestOutputStream(new FileOutputStream(target.toFile()),
                        MessageDigest.getInstance("MD5")), ofFile);
            case "cipher": {
                javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/CTR/NoPadding");
                aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(new byte[16], "AES"),
                        new javax.crypto.spec.IvParameterSpec(new byte[16]));
                return new Sink(new javax.crypto.CipherOutputStream(new FileOutputStream(target.toFile()), aes), ofFile);
            }
            case "custom": {
                OutputStream file = new FileOutputStream(target.toFile());
                return new Sink(new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        file.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        file.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        file.close();
                    }
                }, ofFile);
            }
            case "socket":
            case "bufferedSocket": {
                ServerSocket server = new ServerSocket(0);
                cleanup.add(server);
                CompletableFuture<String> received = receive(server);
                Socket s = new Socket("127.0.0.1", server.getLocalPort());
                cleanup.add(s);
                OutputStream o = s.getOutputStream();
                if (kind.equals("bufferedSocket")) {
                    o = new BufferedOutputStream(o);
                    o.write("buffered prefix".getBytes());
                }
                return new Sink(o, received::get);
            }
            case "sharedSocket": {
                // first used by a platform thread (a blocking write), then by the copy (on a virtual thread in
                // -Dcorpus.virtual runs, which makes the JDK switch the socket to non-blocking for good)
                ServerSocket server = new ServerSocket(0);
                cleanup.add(server);
                CompletableFuture<String> received = receive(server);
                Socket s = new Socket("127.0.0.1", server.getLocalPort());
                cleanup.add(s);
                Thread platform = new Thread(() -> {
                    try {
                        s.getOutputStream().write("written by a platform thread".getBytes());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                platform.start();
                platform.join();
                return new Sink(s.getOutputStream(), received::get);
            }
            case "channel":
            case "channelStream": {
                ServerSocket server = new ServerSocket(0);
                cleanup.add(server);
                CompletableFuture<String> received = receive(server);
                SocketChannel sc = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
                cleanup.add(sc);
                OutputStream o = kind.equals("channel") ? sc.socket().getOutputStream() : Channels.newOutputStream(sc);
                return new Sink(o, received::get);
            }
            case "tls": {
                SSLContext ctx = tls();
                SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0);
                cleanup.add(server);
                CompletableFuture<String> received = receive(server);
                SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort());
                // TLS 1.3 servers send session tickets after the handshake; this side never reads them, and closing
                // a socket with unread data sends a reset that can reach the receiver before the last bytes do
                s.setEnabledProtocols(new String[] {"TLSv1.2"});
                cleanup.add(s);
                return new Sink(s.getOutputStream(), received::get);
            }
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    private static CompletableFuture<String> receive(ServerSocket server) {
        CompletableFuture<String> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (Socket s = server.accept(); InputStream i = s.getInputStream()) {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] b = new byte[65536];
                for (int k; (k = i.read(b)) != -1; ) {
                    md.update(b, 0, k);
                }
                result.complete(HexFormat.of().formatHex(md.digest()));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return result;
    }

    static SSLContext tls() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("corpus.keystore")))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManager trustAll = new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {trustAll}, null);
        return ctx;
    }

    /**
     * Whether {@code in} is commons-io's BoundedInputStream (or a subclass), by name: CommonsBounded, which needs
     * commons-io to load, is only touched when it is.
     */
    private static boolean isBounded(InputStream in) {
        for (Class<?> c = in.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.apache.commons.io.input.BoundedInputStream")) {
                return true;
            }
        }
        return false;
    }

    private static String position(InputStream in) throws IOException {
        try {
            if (in instanceof BufferedInputStream b) {
                return "buffered:" + b.available();
            }
            if (in instanceof CountingFileInputStream c) {
                return c.getChannel().position() + ":reads=" + c.reads;
            }
            if (in instanceof FileInputStream f) {
                return String.valueOf(f.getChannel().position());
            }
            if (isBounded(in)) {
                return CommonsBounded.position(in);
            }
            if (in.getClass().getName().equals("com.google.common.io.ByteStreams$LimitedInputStream")) {
                // min(left, the inner stream's available): both counts as the wrapper's reads left them
                return "limited:" + in.available() + ":" + in.read();
            }
            if (in.getClass().getName().equals("sun.nio.ch.ChannelInputStream")) {
                return "available:" + in.available(); // the channel's size - position
            }
        } catch (IOException closedOrUnseekable) {
            return "unavailable: " + closedOrUnseekable.getClass().getSimpleName();
        }
        return "-";
    }

    static long syscw() throws IOException {
        return io("syscw:");
    }

    static long syscr() throws IOException {
        return io("syscr:");
    }

    private static long io(String counter) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith(counter)) {
                return Long.parseLong(line.substring(counter.length()).trim());
            }
        }
        return -1;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
