package zc.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.ZcException;
import zc.cli.demo.DemoCommand;
import zc.proc.SystemFacts;
import zc.session.containers.ContainerBench;
import zc.session.containers.ContainerRun;
import zc.session.containers.ContainerSpec;
import zc.session.containers.ContainerTable;
import zc.session.env.Machine;
import zc.session.matrix.MatrixTable;
import zc.session.run.RunFailure;

/**
 * {@code zc bench containers}: real servlet containers (and the JDK's httpserver) serving a file by an application's
 * copy loop, without and with zc-agent, and by the container's own zero-copy path where it has one; CPU, write
 * syscalls and minor faults per GiB of the server process, interleaved rounds, medians and ratios, the targets
 * checked. The launchers and the containers' jars are those of
 * containers-it (built by {@code ./mvnw -pl containers-it -am test-compile}).
 */
@Command(name = "containers", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Servlet containers from Maven Central (Tomcat 10.1, Jetty 12, Undertow 2.3) and the JDK's "
                + "httpserver serving a file by an application's copy loop without zc-agent (original), with it (zc), "
                + "and by the container's own zero-copy path (own): CPU, write syscalls and minor faults per GiB of "
                + "the server process, interleaved rounds, medians and paired ratios, targets checked.",
            "Needs the containers-it launchers and jars: ./mvnw -pl containers-it -am test-compile"})
public final class ContainersCommand implements Callable<Integer> {
    static final String BEGIN = "<!-- zc bench containers: begin (generated, do not edit) -->";
    static final String END = "<!-- zc bench containers: end -->";
    static final List<String> KNOWN = List.of("tomcat", "jetty", "undertow", "jdk");

    @Spec
    CommandSpec spec;

    @Option(names = "--containers", split = ",", defaultValue = "tomcat,jetty,undertow,jdk", paramLabel = "NAME",
            description = "Containers to run: tomcat (10.1 NIO), jetty (12 ee10), undertow (2.3), jdk (the JDK's "
                    + "httpserver, no own path). Default: ${DEFAULT-VALUE}.")
    List<String> containers;

    @Option(names = "--sizes", split = ",", defaultValue = "1m,64m", paramLabel = "SIZE",
            converter = DemoCommand.SizeConverter.class, description = "Body sizes. Default: ${DEFAULT-VALUE}.")
    List<Long> sizes;

    @Option(names = "--clients", split = ",", defaultValue = "1,8", paramLabel = "N",
            description = "Concurrent clients per cell. Default: ${DEFAULT-VALUE}.")
    List<Integer> clients;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Interleaved rounds, fresh servers each. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--bytes-per-run", defaultValue = "512m", paramLabel = "SIZE",
            converter = DemoCommand.SizeConverter.class,
            description = "About how much one run moves (at least one request per client). Default: ${DEFAULT-VALUE}.")
    long bytesPerRun;

    @Option(names = "--launchers", paramLabel = "DIR", description = "containers-it's build folder. Default: "
            + "containers-it/target of this checkout.")
    Path launchers;

    @Mixin
    BenchJvm jvm;

    @Option(names = "--work", paramLabel = "DIR", description = "Test files, logs and runs. Default: "
            + "$XDG_CACHE_HOME/zc/containers or ~/.cache/zc/containers.")
    Path work;

    @Mixin
    BenchOutput output;

    @Override
    public Integer call() throws Exception {
        if (rounds < 3 || bytesPerRun < 1 || clients.stream().anyMatch(c -> c < 1)
                || sizes.stream().anyMatch(s -> s < 1)) {
            throw new ZcException(ExitCodes.USAGE, "--rounds must be at least 3; sizes, clients and "
                    + "--bytes-per-run positive");
        }
        Path built = launchers != null ? launchers
                : Path.of(System.getProperty("zc.home", "."), "containers-it", "target").toAbsolutePath();
        List<ContainerSpec> specs = new ArrayList<>();
        Map<String, String> own = new LinkedHashMap<>();
        for (String c : containers) {
            ContainerSpec s = spec(c.strip(), built);
            specs.add(s);
            own.put(s.name(), s.ownLabel());
        }
        BenchSetup setup = jvm.setup(rounds, work != null ? work : SystemFacts.cacheDir().resolve("containers"));
        ContainerBench.Config config = new ContainerBench.Config(specs, List.copyOf(sizes), List.copyOf(clients),
                rounds, bytesPerRun, setup.java(), setup.agentJar(), setup.work());
        PrintWriter err = spec.commandLine().getErr();
        List<ContainerRun> runs;
        try {
            runs = new ContainerBench(config, line -> {
                err.println(line);
                err.flush();
            }).run();
        } catch (RunFailure e) {
            throw new ZcException(ExitCodes.FAILED, e.getMessage());
        }
        String md = markdown(config, runs, own);
        output.publish(spec.commandLine().getOut(), err, md, runs, BEGIN, END);
        return ExitCodes.OK;
    }

    /** The containers this bench knows, each run from containers-it's launchers and jars. */
    static ContainerSpec spec(String name, Path built) {
        Pattern port = Pattern.compile("PORT (\\d+)");
        return switch (name) {
            case "tomcat" -> new ContainerSpec("Tomcat 10.1 NIO", classpath(built, "tomcat-10.1", "tomcat"),
                    "zc.containers.tomcat.TomcatApp", List.of("{root}", "nio", "{work}", "-"),
                    Pattern.compile("PORTS (\\d+)"), "/loop/", "/static/", "DefaultServlet with Tomcat's sendfile",
                    "/mapped/");
            case "jetty" -> new ContainerSpec("Jetty 12 ee10", classpath(built, "jetty-12", "jetty"),
                    "zc.containers.jetty.Jetty12Main", List.of("0", "{root}", "{work}/access.log", "-"), port,
                    "/files/", "/own/", "ResourceHandler with mapped files (useFileMapping), no sendfile", null);
            case "undertow" -> new ContainerSpec("Undertow 2.3", classpath(built, "undertow-2.3", "undertow"),
                    "zc.containers.undertow.UndertowMain", List.of("0", "{root}", "{work}/access.log", "-"), port,
                    "/files/", "/own/", "ResourceHandler, PathResource sent by transferFrom", null);
            case "jdk" -> new ContainerSpec("JDK httpserver", classpath(built, null, "jdk"),
                    "zc.containers.jdk.JdkHttpMain", List.of("{root}"), port, "/files/", null, null, null);
            default -> throw new ZcException(ExitCodes.USAGE, "unknown container '" + name + "' (known: "
                    + String.join(", ", KNOWN) + ")");
        };
    }

    /** The launchers' classes and a container's jars (copied apart by containers-it's build), checked present. */
    private static String classpath(Path built, String jarsDir, String launcherPackage) {
        Path classes = built.resolve("test-classes");
        Path jars = jarsDir == null ? null : built.resolve("containers").resolve(jarsDir);
        if ((jars != null && !Files.isDirectory(jars))
                || !Files.isDirectory(classes.resolve("zc/containers/" + launcherPackage))) {
            throw new ZcException(ExitCodes.USAGE, "no " + launcherPackage + " launcher" + (jars == null ? "" :
                    " and jars") + " under " + built + " (build them: ./mvnw -pl containers-it -am "
                    + "test-compile, or pass --launchers)");
        }
        return jars == null ? classes.toString() : classes + java.io.File.pathSeparator + jars + "/*";
    }

    private String markdown(ContainerBench.Config config, List<ContainerRun> runs, Map<String, String> own)
            throws Exception {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        List<String> args = all.subList(all.indexOf("containers") + 1, all.size());
        StringBuilder md = new StringBuilder("## Containers (`zc bench containers`)\n\n");
        md.append(String.format(Locale.ROOT, "Measured %s with `scripts/zc bench containers%s`: %s; servers on "
                        + "%s, loopback; %d interleaved rounds, fresh servers each, each run "
                        + "about %s; the server's whole process from /proc around each run, CPU without its JIT "
                        + "compiler threads. original: the application's 8 KiB copy loop from a FileInputStream into "
                        + "`response.getOutputStream()` (the JDK's httpserver: `exchange.getResponseBody()`) without "
                        + "the agent; zc: the same with zc-agent; own: the container's own zero-copy path, without "
                        + "the agent; mapped-write (Tomcat): the file mapped 8 MiB at a time, each window given to "
                        + "the stream's `write(ByteBuffer)`, without the agent. The client is the matrix's (plain "
                        + "sockets, keep-alive), on the same machine.%n%n",
                Instant.now().toString().substring(0, 10), args.isEmpty() ? "" : " " + String.join(" ", args),
                Machine.probe().summary(), StartupCommand.version(config.java()), config.rounds(),
                MatrixTable.size(config.bytesPerRun())));
        md.append(new ContainerTable(runs).markdown(own));
        return md.toString();
    }
}
