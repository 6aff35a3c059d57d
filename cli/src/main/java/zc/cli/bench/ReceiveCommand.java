package zc.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.cli.demo.DemoCommand;
import zc.demo.harness.Sizes;

/**
 * {@code zc bench receive}: the receive side of an upload, {@code Files.copy(socket.getInputStream(), target)} of
 * a file sent over loopback, with the agent in mode=off and in mode=rewrite, alternating. The receiving thread
 * measures itself: CPU time (ThreadMXBean), read and write calls (/proc/thread-self/io), wall time. The sender is a
 * thread of the same JVM sending with sendfile, so its own calls stay out of the receiver's counts.
 */
@Command(name = "receive", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Files.copy(socket stream, Path) over loopback, mode=off vs mode=rewrite, interleaved.")
public final class ReceiveCommand implements Callable<Integer> {
    private static final List<String> VARIANTS = List.of("mode=off", "mode=rewrite");
    private static final List<String> COUNTERS = List.of("cpu", "syscr", "syscw", "wall");
    private static final double GIB = 1L << 30;

    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "SIZE", defaultValue = "1g", converter = DemoCommand.SizeConverter.class,
            description = "Bytes received per run (64m, 1g...). Default: ${DEFAULT-VALUE}.")
    long size;

    @Option(names = "--runs", defaultValue = "5", paramLabel = "N", description = "Runs of each. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Mixin
    BenchJvm jvm;


    @Option(names = "--work", paramLabel = "DIR", description = "Where the app and the source file go. "
            + "Default: $XDG_CACHE_HOME/zc/bench or ~/.cache/zc/bench.")
    Path work;

    @Option(names = "--target", paramLabel = "DIR", description = "Where the received file goes (deleted after each "
            + "run), e.g. /dev/shm to leave the disk's file system out. Default: the --work folder.")
    Path targetDir;

    @Override
    public Integer call() throws Exception {
        BenchSetup setup = jvm.setup(runs, work);
        PrintWriter err = spec.commandLine().getErr();
        Path classes = app(setup.work());
        Path source = source(setup.work(), size, err);
        Path target = (targetDir != null ? targetDir : setup.work()).resolve("zc-received.bin");
        List<Map<String, Long>> off = new ArrayList<>();
        List<Map<String, Long>> rewrite = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < 2; k++) {
                int v = (i + k) % 2;
                Map<String, Long> r = run(setup, classes, VARIANTS.get(v), source, target);
                (v == 0 ? off : rewrite).add(r);
            }
            err.printf("run %d/%d%n", i + 1, runs);
            err.flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("zc bench receive: %s over loopback per run, Files.copy(socket.getInputStream(), target) into %s, "
                + "%d runs each, alternating; JDK %s%n%n", Sizes.format(size), target.getParent(), runs,
                StartupCommand.version(setup.java()));
        out.println("| variant (receiving thread, medians per GiB) | CPU | read calls | write calls | MB/s |");
        out.println("|---|---|---|---|---|");
        for (int v = 0; v < 2; v++) {
            List<Map<String, Long>> rs = v == 0 ? off : rewrite;
            out.printf(Locale.ROOT, "| %s | %.0f ms | %,.0f | %,.0f | %,.0f |%n", VARIANTS.get(v),
                    perGib(rs, "cpu") / 1e6, perGib(rs, "syscr"), perGib(rs, "syscw"),
                    size / 1e6 / (median(rs, "wall") / 1e9));
        }
        out.printf(Locale.ROOT, "%nrewrite / off: CPU %.2fx, read calls %.4fx, write calls %.4fx%n",
                perGib(rewrite, "cpu") / perGib(off, "cpu"), perGib(rewrite, "syscr") / perGib(off, "syscr"),
                perGib(rewrite, "syscw") / perGib(off, "syscw"));
        out.printf("spread of CPU (min-max, ms): off %s, rewrite %s%n", range(off), range(rewrite));
        return ExitCodes.OK;
    }

    private Map<String, Long> run(BenchSetup setup, Path classes, String options, Path source, Path target)
            throws Exception {
        List<String> cmd = List.of(setup.java().toString(), "-Xms256m", "-Xmx256m",
                "-javaagent:" + setup.agentJar() + "=" + options + ",log=info", "-cp", classes.toString(), "Receive",
                source.toString(), target.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new ZcException(ExitCodes.FAILED, "the receiving app failed: " + output.strip());
        }
        boolean direct = output.lines().anyMatch(l -> l.startsWith("zc-agent:") && !l.contains(" 0 by direct buffer"));
        if (options.equals("mode=rewrite") && !direct) {
            throw new ZcException(ExitCodes.FAILED, "the rewrite did not receive through the direct buffer: "
                    + output.strip());
        }
        String line = output.lines().filter(l -> l.startsWith("received ")).findFirst()
                .orElseThrow(() -> new ZcException(ExitCodes.FAILED, "no result from the app: " + output.strip()));
        String[] f = line.split(" ");
        if (Long.parseLong(f[1]) != size) {
            throw new ZcException(ExitCodes.FAILED, "received " + f[1] + " bytes of " + size);
        }
        Map<String, Long> r = new HashMap<>();
        for (int i = 2; i + 1 < f.length; i += 2) {
            r.put(f[i], Long.parseLong(f[i + 1]));
        }
        if (!r.keySet().containsAll(COUNTERS)) {
            throw new ZcException(ExitCodes.FAILED, "incomplete result: " + line);
        }
        return r;
    }

    private double perGib(List<Map<String, Long>> runs, String counter) {
        return median(runs, counter) * GIB / size;
    }

    private static double median(List<Map<String, Long>> runs, String counter) {
        return StartupCommand.median(runs.stream().map(r -> r.get(counter)).toList());
    }

    private static String range(List<Map<String, Long>> runs) {
        return StartupCommand.range(runs.stream().map(r -> r.get("cpu")).toList());
    }

    /** The source file, random bytes, made once per size. */
    private static Path source(Path dir, long size, PrintWriter progress) throws IOException {
        Path f = dir.resolve("receive-source-" + size + ".bin");
        if (Files.isRegularFile(f) && Files.size(f) == size) {
            return f;
        }
        progress.println("writing a " + Sizes.format(size) + " source file (once) ...");
        progress.flush();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("receive-source-" + size + ".tmp");
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        try (OutputStream o = Files.newOutputStream(tmp)) {
            for (long left = size; left > 0; left -= block.length) {
                o.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The receiving app, compiled once. */
    private static Path app(Path dir) throws IOException {
        return GeneratedApps.compileOnce(dir.resolve("receive-app"), "Receive", """
                import java.io.InputStream;
                import java.lang.management.ManagementFactory;
                import java.lang.management.ThreadMXBean;
                import java.net.InetAddress;
                import java.net.ServerSocket;
                import java.net.Socket;
                import java.nio.channels.FileChannel;
                import java.nio.channels.SocketChannel;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardCopyOption;

                /** The receive side of an upload: Files.copy from a plain Socket's stream into a file. */
                public class Receive {
                    public static void main(String[] a) throws Exception {
                        Path source = Path.of(a[0]);
                        Path target = Path.of(a[1]);
                        long size = Files.size(source);
                        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                            Thread sender = new Thread(() -> {
                                try (SocketChannel ch = SocketChannel.open(server.getLocalSocketAddress());
                                     FileChannel f = FileChannel.open(source)) {
                                    for (long p = 0; p < size; ) {
                                        p += f.transferTo(p, size - p, ch);
                                    }
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
                            sender.start();
                            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                                long[] io0 = io();
                                long cpu0 = threads.getCurrentThreadCpuTime();
                                long t0 = System.nanoTime();
                                long n = Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                                long wall = System.nanoTime() - t0;
                                long cpu = threads.getCurrentThreadCpuTime() - cpu0;
                                long[] io1 = io();
                                System.out.println("received " + n + " cpu " + cpu + " syscr " + (io1[0] - io0[0])
                                        + " syscw " + (io1[1] - io0[1]) + " wall " + wall);
                            }
                            sender.join();
                        } finally {
                            Files.deleteIfExists(target);
                        }
                    }

                    /** syscr and syscw of this thread. */
                    static long[] io() throws Exception {
                        long[] rw = new long[2];
                        for (String l : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
                            if (l.startsWith("syscr:")) {
                                rw[0] = Long.parseLong(l.substring(6).trim());
                            } else if (l.startsWith("syscw:")) {
                                rw[1] = Long.parseLong(l.substring(6).trim());
                            }
                        }
                        return rw;
                    }
                }
                """);
    }
}
