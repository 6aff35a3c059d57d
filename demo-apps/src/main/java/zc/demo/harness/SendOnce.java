package zc.demo.harness;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import zc.demo.strategy.NetworkSender;
import zc.demo.strategy.Strategy;

/**
 * One network lesson in one JVM, for tools that measure a whole process ({@code zc ab}): a receiver thread accepts
 * on loopback, the lesson sends the file to it, and the run fails with status 1 unless every byte arrived intact
 * (length, and CRC32C of what was received against the file's). No JNA, no child process: the process's own
 * start-up costs stay small next to the transfer.
 *
 * <pre>
 *   java -cp zc-demos.jar zc.demo.harness.SendOnce --strategy read-write --file F [--buffer 64k] [--repeat N]
 * </pre>
 */
public final class SendOnce {
    private SendOnce() {
    }

    public static void main(String[] argv) {
        try {
            Args args = new Args(argv, 0);
            String id = args.require("strategy");
            Strategy strategy = Strategy.byId(id).filter(Strategy::network).orElseThrow(() ->
                    new IllegalArgumentException("--strategy must be a network strategy, not '" + id + "'"));
            Path file = Path.of(args.require("file"));
            int repeat = Integer.parseInt(args.get("repeat", "1"));
            long size = Files.size(file);
            String expected = Checksums.of(file); // once: with --repeat, the transfers dominate the process's cost
            for (int i = 0; i < repeat; i++) {
                String received = sendOnce(strategy, file, args);
                if (!received.equals(size + " " + expected)) {
                    System.out.println("INTEGRITY FAILURE: sent " + size + " " + expected + ", received " + received);
                    System.exit(1);
                }
            }
            System.out.println("integrity ok: " + repeat + " x " + size + " bytes by " + id);
        } catch (Exception e) {
            System.out.println(Protocol.ERROR + e.getMessage());
            System.exit(1);
        }
    }

    private static String sendOnce(Strategy strategy, Path file, Args args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> receive(server));
            try (NetworkSender sender = strategy.newSender()) {
                sender.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                        DemoMain.options(args));
                sender.send(file);
                sender.finish();
            }
            return received.get();
        }
    }

    private static String receive(ServerSocket server) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            CRC32C crc = new CRC32C();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) != -1; ) {
                crc.update(buf, 0, n);
                total += n;
            }
            new DataOutputStream(s.getOutputStream()).writeLong(total);
            return total + " " + Checksums.hex(crc);
        } catch (IOException e) {
            return "nothing (" + e.getMessage() + ")";
        }
    }
}
