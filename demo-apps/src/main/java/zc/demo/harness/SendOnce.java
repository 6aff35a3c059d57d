package zc.demo.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import zc.demo.strategy.NetworkSender;
import zc.demo.strategy.Strategy;

/**
 * One network lesson as one command, for tools that measure one process ({@code zc ab}): the receiver runs in a
 * JVM of its own, started without JAVA_TOOL_OPTIONS so that an agent or a profiler meant for the sender stays out of
 * it; this JVM only sends. The run fails with status 1 unless every byte arrived intact (length and CRC32C).
 *
 * <pre>
 *   java -cp zc-demos.jar zc.demo.harness.SendOnce --strategy read-write --file F [--buffer 64k] [--repeat N]
 * </pre>
 */
public final class SendOnce {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SendOnce() {
    }

    public static void main(String[] argv) {
        Process receiver = null;
        try {
            Args args = new Args(argv, 0);
            String id = args.require("strategy");
            Strategy strategy = Strategy.byId(id).filter(Strategy::network).orElseThrow(() ->
                    new IllegalArgumentException("--strategy must be a network strategy, not '" + id + "'"));
            Path file = Path.of(args.require("file"));
            int repeat = Integer.parseInt(args.get("repeat", "1"));
            long size = Files.size(file);
            String expected = Checksums.of(file); // once: with --repeat, the transfers dominate the process's cost
            ProcessBuilder pb = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), DemoMain.class.getName(), "receiver", "--strategy", id,
                    "--port", "0", "--connections", String.valueOf(repeat)))
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            receiver = pb.start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(receiver.getInputStream(),
                    StandardCharsets.UTF_8));
            int port = Integer.parseInt(next(lines, Protocol.LISTENING));
            for (int i = 0; i < repeat; i++) {
                try (NetworkSender sender = strategy.newSender()) {
                    sender.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                            DemoMain.options(args));
                    sender.send(file);
                    sender.finish();
                }
                RunResult got = JSON.readValue(next(lines, Protocol.RESULT), RunResult.class);
                if (got.bytes() != size || !got.checksum().equals(expected)) {
                    System.out.println("INTEGRITY FAILURE: sent " + size + " " + expected + ", received "
                            + got.bytes() + " " + got.checksum());
                    System.exit(1);
                }
            }
            System.out.println("integrity ok: " + repeat + " x " + size + " bytes by " + id);
        } catch (Exception e) {
            System.out.println(Protocol.ERROR + e.getMessage());
            System.exit(1);
        } finally {
            if (receiver != null) {
                receiver.destroy();
            }
        }
    }

    private static String next(BufferedReader lines, String prefix) throws java.io.IOException {
        for (String line; (line = lines.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).strip();
            }
            if (line.startsWith(Protocol.ERROR)) {
                throw new java.io.IOException("receiver: " + line.substring(Protocol.ERROR.length()));
            }
        }
        throw new java.io.IOException("the receiver ended before " + prefix.strip());
    }
}
