package zc.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/**
 * The server of {@code zc bench virtual-threads}, a forked JVM: a virtual thread per connection (JDK 21+), each
 * serving a whole file through a plain copy loop, FileInputStream into the socket's OutputStream, as an application
 * on Helidon 4 or on a virtual-thread executor does. The client's first byte names the file: {@code s} the slow
 * clients' file, {@code f} the fast one.
 */
final class SlowClientsServer implements AutoCloseable {
    private final Process process;
    final long pid;
    final InetSocketAddress address;

    private SlowClientsServer(Process process, InetSocketAddress address) {
        this.process = process;
        this.pid = process.pid();
        this.address = address;
    }

    static SlowClientsServer start(List<String> jvm, Path classes, Path slow, Path fast, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(jvm);
        cmd.addAll(List.of("-cp", classes.toString(), "VtServer", slow.toString(), fast.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> port = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            line = null;
        }
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            throw new ZcException(ExitCodes.FAILED, "the server did not start (see " + log + "): "
                    + Files.readString(log).strip());
        }
        return new SlowClientsServer(p, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(line.substring(5).strip())));
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, so that the agent writes its statistics at exit. */
    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The server, compiled once. */
    static Path app(Path dir) throws IOException {
        return GeneratedApps.compileOnce(dir.resolve("virtual-threads-app"), "VtServer", """
                import java.io.FileInputStream;
                import java.io.IOException;
                import java.io.InputStream;
                import java.io.OutputStream;
                import java.net.InetAddress;
                import java.net.ServerSocket;
                import java.net.Socket;
                import java.util.concurrent.ExecutorService;
                import java.util.concurrent.Executors;

                /** A virtual thread per connection; the first byte names the file, which is copied whole. */
                public class VtServer {
                    public static void main(String[] a) throws Exception {
                        // compiled for Java 17: the JDK 21 method by reflection
                        ExecutorService threads = (ExecutorService) Executors.class
                                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress())) {
                            System.out.println("PORT " + server.getLocalPort());
                            System.out.flush();
                            while (true) {
                                Socket s = server.accept();
                                threads.execute(() -> serve(s, a));
                            }
                        }
                    }

                    static void serve(Socket s, String[] files) {
                        try (s) {
                            int which = s.getInputStream().read();
                            try (InputStream in = new FileInputStream(which == 's' ? files[0] : files[1])) {
                                copy(in, s.getOutputStream());
                            }
                        } catch (IOException clientGone) {
                            // a client that went away: nothing more to serve
                        }
                    }

                    static void copy(InputStream in, OutputStream out) throws IOException {
                        byte[] buf = new byte[32 * 1024];
                        int n;
                        while ((n = in.read(buf)) != -1) {
                            out.write(buf, 0, n);
                        }
                    }
                }
                """);
    }
}
