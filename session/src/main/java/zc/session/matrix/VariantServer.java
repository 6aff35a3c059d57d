package zc.session.matrix;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import zc.proc.Counters;
import zc.session.proc.ProcSampler;
import zc.session.run.Readiness;
import zc.session.run.RunFailure;
import zc.session.run.Target;

/**
 * One variant's StaticFileServer for one round: started (on veth, listening on this side's address, the clients
 * being in the namespace), found listening, sampled from /proc around each run, stopped with SIGTERM so zc-agent
 * writes its statistics.
 */
final class VariantServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("ZC-LISTENING (\\d+)");

    final Variant variant;
    final InetSocketAddress address;
    final Path agentOut;
    private final Target target;
    private final ProcSampler sampler;
    final long pid;

    private VariantServer(Variant variant, InetSocketAddress address, Path agentOut, Target target, long pid) {
        this.variant = variant;
        this.address = address;
        this.agentOut = agentOut;
        this.target = target;
        this.pid = pid;
        this.sampler = new ProcSampler(pid);
    }

    static VariantServer start(MatrixConfig config, Variant variant, Network network, Path files, Path dir,
                               Path agentOut) throws IOException, RunFailure, InterruptedException {
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.addAll(List.of(config.java().toString(), "-Xms256m", "-Xmx1g"));
        if (variant.rewritten()) {
            Files.createDirectories(agentOut);
            cmd.add("-javaagent:" + config.agentJar() + "=" + variant.agentOptions() + ",out=" + agentOut);
        }
        if (variant == Variant.SPLICE) {
            cmd.add("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
        }
        String bind = network.veth() ? Veth.HERE : "127.0.0.1";
        cmd.addAll(List.of("-cp", config.demosJar().toString(), "zc.demo.httpserver.StaticFileServer",
                "--root", files.toString(), "--bind", bind, "--port", "0", "--idle-timeout", "0",
                "--threads", config.serverThreads(), "--body", variant.body()));
        Target t = Target.start(cmd, Map.of(), dir);
        try {
            long pid = t.jvmPid(Duration.ofSeconds(30));
            t.awaitReady(new Readiness(null, LISTENING, Duration.ofSeconds(60)));
            Matcher m = LISTENING.matcher(Files.readString(t.stdout));
            if (!m.find()) {
                throw new RunFailure("the " + variant.label() + " server printed no port");
            }
            return new VariantServer(variant, new InetSocketAddress(bind, Integer.parseInt(m.group(1))), agentOut, t,
                    pid);
        } catch (RunFailure | InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    Counters sample() throws IOException {
        return sampler.sample();
    }

    boolean alive() {
        return target.process.isAlive();
    }

    String lastLine() {
        return target.lastLine();
    }

    /** SIGTERM (zc-agent writes its statistics), then the process is gone. */
    void stop() throws InterruptedException {
        target.stop();
    }

    @Override
    public void close() {
        target.close();
    }
}
