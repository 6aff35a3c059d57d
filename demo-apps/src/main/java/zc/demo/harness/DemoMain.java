package zc.demo.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import zc.demo.strategy.DemoOptions;
import zc.demo.strategy.FileCopier;
import zc.demo.strategy.NetworkSender;
import zc.demo.strategy.Strategy;
import zc.proc.Counters;
import zc.proc.SelfCounters;

/**
 * Runs one side of one lesson in this JVM. {@code zc demo} starts these; they can also be run by hand:
 *
 * <pre>
 *   java -jar zc-demos.jar receiver --strategy sendfile [--bind 127.0.0.1] [--port 0] [--timeout 120]
 *                                   [--connections 1]
 *   java -jar zc-demos.jar sender   --strategy sendfile --file F --port P [--host 127.0.0.1]
 *                                   [--buffer 64k] [--chunk 0] [--pipe 1m] [--wait-go]
 *   java -jar zc-demos.jar copy     --strategy file-transfer --file F --to TARGET [--buffer 64k]
 * </pre>
 *
 * Results are {@link Protocol} lines on stdout; any failure is one {@code ZC-ERROR} line and exit status 1.
 */
public final class DemoMain {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoMain() {
    }

    public static void main(String[] argv) {
        try {
            if (argv.length == 0 || argv[0].equals("--help")) {
                System.out.println("usage: zc-demos.jar receiver|sender|copy --strategy ID [options]; strategies: "
                        + String.join(", ", Strategy.ids()));
                return;
            }
            Args args = new Args(argv, 1);
            String id = args.require("strategy");
            Strategy strategy = Strategy.byId(id).orElseThrow(() -> new IllegalArgumentException(
                    "unknown strategy '" + id + "' (known: " + String.join(", ", Strategy.ids()) + ")"));
            switch (argv[0]) {
                case "receiver" -> {
                    try (java.net.ServerSocket server = Receiver.listen(
                            InetAddress.getByName(args.get("bind", "127.0.0.1")), Integer.parseInt(args.get("port", "0")),
                            Integer.parseInt(args.get("timeout", "120")) * 1000)) {
                        for (int i = Integer.parseInt(args.get("connections", "1")); i > 0; i--) {
                            print(Receiver.receive(id, server));
                        }
                    }
                }
                case "sender" -> print(send(strategy, args));
                case "copy" -> copy(strategy, args);
                default -> throw new IllegalArgumentException("unknown role '" + argv[0] + "'");
            }
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            System.out.println(Protocol.ERROR + message.replace('\n', ' '));
            System.out.flush();
            System.exit(1);
        }
    }

    private static RunResult send(Strategy strategy, Args args) throws IOException {
        if (!strategy.network()) {
            throw new IllegalArgumentException(strategy.id() + " copies file to file: use the copy role");
        }
        Path file = Path.of(args.require("file"));
        long size = Files.size(file);
        InetSocketAddress receiver = new InetSocketAddress(InetAddress.getByName(args.get("host", "127.0.0.1")),
                Integer.parseInt(args.require("port")));
        SelfCounters counters = SelfCounters.open();
        String checksum = Checksums.of(file);
        try (NetworkSender sender = strategy.newSender()) {
            sender.connect(receiver, options(args));
            awaitGo(args);
            Counters before = counters.read();
            sender.send(file);
            long confirmed = sender.finish();
            Counters cost = counters.read().minus(before);
            Map<String, Object> details = new LinkedHashMap<>(sender.details());
            details.put("confirmedBytes", confirmed);
            details.put("jdk", Runtime.version().toString());
            return new RunResult("sender", strategy.id(), size, checksum, cost, counters.sources(), details);
        }
    }

    private static void copy(Strategy strategy, Args args) throws IOException {
        if (strategy.network()) {
            throw new IllegalArgumentException(strategy.id() + " sends over TCP: use the sender and receiver roles");
        }
        Path source = Path.of(args.require("file"));
        Path target = Path.of(args.require("to"));
        SelfCounters counters = SelfCounters.open();
        String checksum = Checksums.of(source);
        FileCopier copier = strategy.newCopier();
        awaitGo(args);
        Counters before = counters.read();
        copier.copy(source, target, options(args));
        Counters cost = counters.read().minus(before);
        Map<String, Object> details = new LinkedHashMap<>(copier.details());
        details.put("jdk", Runtime.version().toString());
        print(new RunResult("sender", strategy.id(), Files.size(source), checksum, cost, counters.sources(), details));
        print(new RunResult("target", strategy.id(), Files.size(target), Checksums.of(target), null, Map.of(),
                Map.of("file", target.toString())));
    }

    static DemoOptions options(Args args) {
        long buffer = args.size("buffer", DemoOptions.DEFAULT_BUFFER);
        long pipe = args.size("pipe", DemoOptions.DEFAULT_PIPE);
        if (buffer < 1 || buffer > Integer.MAX_VALUE - 8 || pipe < 1 || pipe > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--buffer and --pipe must be between 1 byte and 2 GiB");
        }
        return new DemoOptions((int) buffer, args.size("chunk", 0), (int) pipe);
    }

    /** With --wait-go, lets a tool (strace -p) attach after start-up and before the measured transfer. */
    private static void awaitGo(Args args) throws IOException {
        if (args.flag("wait-go")) {
            System.out.println(Protocol.READY);
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
    }

    private static void print(RunResult result) throws IOException {
        System.out.println(Protocol.RESULT + JSON.writeValueAsString(result));
        System.out.flush();
    }
}
