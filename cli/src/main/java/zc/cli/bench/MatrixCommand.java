package zc.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.cli.demo.DemoCommand;
import zc.proc.SystemFacts;
import zc.session.env.FileSystemOf;
import zc.session.env.Machine;
import zc.session.matrix.MatrixConfig;
import zc.session.matrix.MatrixRunner;
import zc.session.matrix.MatrixTable;
import zc.session.matrix.Network;
import zc.session.matrix.Variant;
import zc.session.model.Sessions;
import zc.session.run.RunFailure;

/**
 * {@code zc bench matrix}: the static-file server demo, served by its original read-write loop, by that loop
 * rewritten by zc-agent (sendfile, mmap) and by hand-written transferTo, mmap-write and splice, over file sizes,
 * client counts and networks, interleaved; then the agent's start-up cost. Prints Markdown, and with --write puts it
 * into a file between markers, replacing the previous matrix.
 */
@Command(name = "matrix", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The benchmark matrix: original loop vs zc-agent (sendfile, mmap) vs hand-written transferTo, "
                + "mmap-write and splice, on the static-file server, per file size, client count and network, "
                + "interleaved in rounds; medians and paired ratios per cell, the targets checked, and the agent's "
                + "start-up cost.",
            "Veth networks (a namespace and a veth pair, scatter-gather on and off) need root, ip and ethtool."})
public final class MatrixCommand implements Callable<Integer> {
    static final String BEGIN = "<!-- zc bench matrix: begin (generated, do not edit) -->";
    static final String END = "<!-- zc bench matrix: end -->";

    @Spec
    CommandSpec spec;

    @Option(names = "--sizes", split = ",", defaultValue = "4k,64k,1m,64m,1g", paramLabel = "SIZE",
            converter = DemoCommand.SizeConverter.class, description = "File sizes. Default: ${DEFAULT-VALUE}.")
    List<Long> sizes;

    @Option(names = "--clients", split = ",", defaultValue = "1,8", paramLabel = "N",
            description = "Concurrent clients per cell. Default: ${DEFAULT-VALUE}.")
    List<Integer> clients;

    @Option(names = "--networks", split = ",", paramLabel = "NET",
            description = "loopback, veth-sg-on, veth-sg-off. Default: all three as root with ip and ethtool, "
                    + "otherwise loopback.")
    List<String> networks;

    @Option(names = "--variants", split = ",", paramLabel = "V", defaultValue =
            "original,zc-sendfile,zc-mmap,transferTo,mmap-write,splice",
            description = "Variants to run. Default: ${DEFAULT-VALUE}.")
    List<String> variants;

    @Option(names = "--rounds", defaultValue = "3", paramLabel = "N",
            description = "Interleaved rounds (medians and paired ratios over them). Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--bytes-per-run", defaultValue = "256m", paramLabel = "SIZE",
            converter = DemoCommand.SizeConverter.class,
            description = "About how much one run moves (at least one request per client). Default: ${DEFAULT-VALUE}.")
    long bytesPerRun;

    @Option(names = "--max-requests", defaultValue = "4096", paramLabel = "N",
            description = "At most this many requests in a run (small files). Default: ${DEFAULT-VALUE}.")
    long maxRequests;

    @Option(names = "--startup-runs", defaultValue = "10", paramLabel = "N",
            description = "Runs of the start-up benchmark afterwards; 0 skips it. Default: ${DEFAULT-VALUE}.")
    int startupRuns;

    @Option(names = "--server-threads", defaultValue = "16", paramLabel = "N|virtual",
            description = "The server's threads: a fixed pool of N, or virtual (a virtual thread per connection, "
                    + "JDK 21+; give --java). Default: ${DEFAULT-VALUE}.")
    String serverThreads;

    @Mixin
    BenchJvm jvm;

    @Option(names = "--work", paramLabel = "DIR", description = "Test files, logs and runs. Default: "
            + "$XDG_CACHE_HOME/zc/matrix or ~/.cache/zc/matrix.")
    Path work;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || startupRuns < 0 || bytesPerRun < 1 || maxRequests < 1) {
            throw new ZcException(ExitCodes.USAGE, "--rounds, --bytes-per-run and --max-requests must be positive");
        }
        if (startupRuns > 0 && startupRuns < 3) {
            throw new ZcException(ExitCodes.USAGE, "--startup-runs must be 0 or at least 3");
        }
        if (clients.stream().anyMatch(c -> c < 1)) {
            throw new ZcException(ExitCodes.USAGE, "--clients must be positive");
        }
        BenchSetup setup = jvm.setup(3, work != null ? work : SystemFacts.cacheDir().resolve("matrix"));
        List<Network> nets = networks();
        List<Variant> vs = new ArrayList<>();
        try {
            for (String v : variants) {
                vs.add(Variant.of(v.strip()));
            }
        } catch (IllegalArgumentException e) {
            throw new ZcException(ExitCodes.USAGE, e.getMessage());
        }
        MatrixConfig config = new MatrixConfig(List.copyOf(sizes), List.copyOf(clients), nets, vs, rounds,
                setup.java(), setup.agentJar(), Path.of(System.getProperty("java.class.path")), setup.work(),
                bytesPerRun, maxRequests, serverThreads);
        PrintWriter err = spec.commandLine().getErr();
        MatrixRunner.Outcome outcome;
        try {
            outcome = new MatrixRunner(config, line -> {
                err.println(line);
                err.flush();
            }).run();
        } catch (RunFailure e) {
            throw new ZcException(ExitCodes.FAILED, e.getMessage());
        }
        MatrixTable table = new MatrixTable(config, outcome.runs(), 64 * 1024);
        StartupCommand.Startup startup = startupRuns > 0
                ? StartupCommand.measure(setup, "", startupRuns, err) : null;
        String md = markdown(config, outcome, table, startup);
        PrintWriter out = spec.commandLine().getOut();
        out.print(md);
        out.flush();
        if (output.json != null) {
            Sessions.json().writerWithDefaultPrettyPrinter().writeValue(output.json.toFile(), outcome);
        }
        if (output.write != null) {
            writeInto(output.write, md);
            err.println("wrote the matrix into " + output.write);
        }
        return ExitCodes.OK;
    }

    private List<Network> networks() {
        if (networks == null) {
            return Network.vethUnavailable() == null ? List.of(Network.values())
                    : List.of(Network.LOOPBACK);
        }
        List<Network> out = new ArrayList<>();
        try {
            for (String n : networks) {
                out.add(Network.of(n.strip()));
            }
        } catch (IllegalArgumentException e) {
            throw new ZcException(ExitCodes.USAGE, e.getMessage());
        }
        String why = Network.vethUnavailable();
        if (why != null && out.stream().anyMatch(Network::veth)) {
            throw new ZcException(ExitCodes.UNSUPPORTED, why);
        }
        return out;
    }

    private String markdown(MatrixConfig config, MatrixRunner.Outcome outcome, MatrixTable table,
                            StartupCommand.Startup startup) throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("## The benchmark matrix (`zc bench matrix`)\n\n");
        List<String> all = spec.commandLine().getParseResult().originalArgs(); // the whole command line
        List<String> args = all.subList(all.indexOf("matrix") + 1, all.size());
        md.append(String.format(Locale.ROOT, "Measured %s with `scripts/zc bench matrix%s`. Conditions: %s; servers "
                        + "on %s; %d interleaved rounds per cell, each run about %s (at most %d requests); the "
                        + "server's whole process measured from /proc around each run, its CPU without the JIT "
                        + "compiler threads (whose work lands in a short run or not, by chance; counted apart in the "
                        + "JSON).%n%n",
                Instant.now().toString().substring(0, 10), args.isEmpty() ? "" : " " + String.join(" ", args),
                conditions(config.work()), StartupCommand.version(config.java()), config.rounds(),
                MatrixTable.size(config.bytesPerRun()), config.maxRequests()));
        outcome.conditions().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        outcome.agentBytes().forEach((k, v) -> md.append("- zc-agent, ").append(k).append(": bytes by path ")
                .append(v).append('\n'));
        md.append('\n');
        md.append("""
                How to read it: medians over the rounds; in brackets the median of the per-round ratios to the \
                original loop (same network, size and clients), and for CPU and write syscalls the ratio or \
                difference to hand-written transferTo ("tT"). **zc-sendfile** and **zc-mmap** are the original \
                server with zc-agent (`strategy=sendfile`, `strategy=mmap`; files below the agent's `minBytes`, \
                64 KiB, stay on the original loop). splice is invisible to /proc/PID/io, so its write syscalls \
                show only the response heads.

                """);
        md.append(table.tables());
        md.append("#### Targets\n\n");
        table.targets().forEach(t -> md.append(t.markdown()).append('\n'));
        if (startup != null) {
            double added = startup.addedToMainMillis();
            md.append(String.format(Locale.ROOT, "- %s: agent start-up at most 150 ms added to time-to-main on this "
                    + "JDK (%+.1f ms)%n", added <= 150 ? "**met**" : "**missed**", added));
            md.append("\n#### zc-agent start-up and class loading (same run)\n\n").append(startup.markdown());
        }
        md.append('\n');
        return md.toString();
    }

    /** The machine (through OSHI) and the file system the test files are on. */
    private static String conditions(Path work) {
        return Machine.probe().summary() + ", test files on " + FileSystemOf.path(work).describe();
    }

    static void writeInto(Path file, String md) throws IOException {
        MarkdownSection.writeInto(file, BEGIN, END, md);
    }
}
