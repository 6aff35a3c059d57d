package zc.libraries;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourceRegion;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.ResourceHttpMessageConverter;
import org.springframework.http.converter.ResourceRegionHttpMessageConverter;

/**
 * Calls the copy code of real libraries as an application would, one case {@code call:source:sink:size} per
 * argument, and prints what the application can observe of it:
 * {@code RESULT|case|value|sink sha-256|source position|exception}. Run once with {@code mode=off} and once with
 * {@code mode=rewrite}: every field must be equal.
 */
public final class LibraryCalls {
    private static Path dir;

    /** One library call: what it returns (or a digest of what it leaves behind). */
    interface Call {
        Object run(InputStream in, OutputStream out, Path file, long size) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        dir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            System.out.println(run(args[i]));
        }
    }

    static Call call(String name) {
        return switch (name) {
            // Spring: the helper called by the application, the ranged copy and the two HTTP message converters
            case "springCopy" -> (in, out, f, size) -> org.springframework.util.StreamUtils.copy(in, out);
            case "springCopyRange" -> (in, out, f, size) ->
                    org.springframework.util.StreamUtils.copyRange(in, out, 10, size * 3 / 4);
            case "springResource" -> (in, out, f, size) -> {
                Message m = new Message(out);
                new ResourceHttpMessageConverter().write(resource(in, f), MediaType.APPLICATION_OCTET_STREAM, m);
                return m.headers.getContentLength();
            };
            case "springRegion" -> (in, out, f, size) -> {
                Message m = new Message(out);
                new ResourceRegionHttpMessageConverter().write(new ResourceRegion(resource(in, f), 100, size / 2),
                        MediaType.APPLICATION_OCTET_STREAM, m);
                return m.headers.getFirst(HttpHeaders.CONTENT_RANGE);
            };
            // commons-io: the loops inside its helpers, with a buffer of the caller's and one of its own
            case "commonsCopyLarge" -> (in, out, f, size) -> {
                byte[] buf = new byte[8192];
                long n = org.apache.commons.io.IOUtils.copyLarge(in, out, buf);
                return n + "/" + crc(buf);
            };
            case "commonsCopyBuffer" -> (in, out, f, size) -> org.apache.commons.io.IOUtils.copy(in, out, 4096);
            case "sparkCopy" -> (in, out, f, size) -> spark.utils.IOUtils.copy(in, out);
            // Guava: the application's call (a helper zc redirects) and Guava's own loop, reached by reflection
            case "guavaCopy" -> (in, out, f, size) -> com.google.common.io.ByteStreams.copy(in, out);
            case "guavaLoop" -> (in, out, f, size) -> com.google.common.io.ByteStreams.class
                    .getMethod("copy", InputStream.class, OutputStream.class).invoke(null, in, out);
            case "kotlinCopyTo" -> (in, out, f, size) -> kotlin.io.ByteStreamsKt.copyTo(in, out, 8192);
            case "jettyCopy" -> (in, out, f, size) -> {
                org.eclipse.jetty.util.IO.copy(in, out);
                return "-";
            };
            case "jettyCopyRange" -> (in, out, f, size) -> {
                // as Jetty 9's Resource.writeTo(out, start, count) serves a range
                in.skip(Math.min(100, size));
                org.eclipse.jetty.util.IO.copy(in, out, size / 2);
                return "-";
            };
            case "httpcoreFileEntity" -> (in, out, f, size) -> {
                org.apache.http.entity.FileEntity e = new org.apache.http.entity.FileEntity(f.toFile(),
                        org.apache.http.entity.ContentType.APPLICATION_OCTET_STREAM);
                e.writeTo(out);
                return e.getContentLength();
            };
            case "httpcore5FileEntity" -> (in, out, f, size) -> {
                org.apache.hc.core5.http.io.entity.FileEntity e = new org.apache.hc.core5.http.io.entity.FileEntity(
                        f.toFile(), org.apache.hc.core5.http.ContentType.APPLICATION_OCTET_STREAM);
                e.writeTo(out);
                return e.getContentLength();
            };
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * The resource a converter reads: Spring's own FileSystemResource opens the file with Files.newInputStream;
     * "file" is an application's resource over a FileInputStream (the stream the case opened is not used).
     */
    private static Resource resource(InputStream unused, Path f) throws IOException {
        unused.close();
        return new FileSystemResource(f) {
            @Override
            public InputStream getInputStream() throws IOException {
                return SOURCE.get().equals("file") ? new FileInputStream(f.toFile()) : super.getInputStream();
            }
        };
    }

    private static final ThreadLocal<String> SOURCE = new ThreadLocal<>();

    /** An HTTP response as the converters see it: headers, and a body that is the case's sink. */
    private static final class Message implements HttpOutputMessage {
        final HttpHeaders headers = new HttpHeaders();
        final OutputStream body;

        Message(OutputStream body) {
            this.body = body;
        }

        @Override
        public OutputStream getBody() {
            return body;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }
    }

    static String run(String scenario) throws Exception {
        String[] p = scenario.split(":");
        String source = p[1];
        String sink = p[2];
        int size = Integer.parseInt(p[3]);
        Path src = sourceFile(size);
        Path target = dir.resolve("target-" + ProcessHandle.current().pid() + ".bin");
        Files.deleteIfExists(target);
        List<AutoCloseable> cleanup = new ArrayList<>();
        SOURCE.set(source);
        InputStream in = source.equals("file") ? new FileInputStream(src.toFile()) : Files.newInputStream(src);
        try {
            CompletableFuture<String> received = null;
            OutputStream out;
            if (sink.equals("socket")) {
                ServerSocket server = new ServerSocket(0);
                cleanup.add(server);
                received = receive(server);
                Socket s = new Socket("127.0.0.1", server.getLocalPort());
                cleanup.add(s);
                out = s.getOutputStream();
            } else {
                out = new FileOutputStream(target.toFile());
                if (sink.equals("closed")) {
                    out.close(); // every write fails: the exceptions are compared
                }
            }
            String value = "-";
            String exception = "-";
            try {
                value = String.valueOf(call(p[0]).run(in, out, src, size));
            } catch (InvocationTargetException e) {
                exception = e.getCause().toString();
            } catch (Exception e) {
                exception = e.toString();
            }
            String position = position(in);
            out.close();
            String hash = received != null ? received.get() : sha256(Files.readAllBytes(target));
            return "RESULT|" + scenario + "|" + value + "|" + hash + "|" + position + "|" + exception;
        } finally {
            in.close();
            for (AutoCloseable c : cleanup) {
                c.close();
            }
        }
    }

    private static String position(InputStream in) {
        try {
            if (in instanceof FileInputStream f) {
                return String.valueOf(f.getChannel().position());
            }
            return "available " + in.available();
        } catch (IOException closed) {
            return "closed";
        }
    }

    private static Path sourceFile(int size) throws IOException {
        Path f = dir.resolve("source-" + size + ".bin");
        if (!Files.exists(f)) {
            byte[] b = new byte[size];
            new Random(size).nextBytes(b);
            Files.write(f, b);
        }
        return f;
    }

    /** The socket sink's other end (as the agent's corpus has it: each program runs on its own module's jars). */
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

    private static long crc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b);
        return crc.getValue();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
