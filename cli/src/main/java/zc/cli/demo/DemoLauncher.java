package zc.cli.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import zc.demo.harness.DemoMain;
import zc.demo.harness.Protocol;
import zc.demo.harness.RunResult;
import zc.demo.strategy.Strategy;

/**
 * Starts the JVMs of one demo run: receiver then sender over TCP, or one copier for file -> file strategies, and
 * collects their results.
 */
final class DemoLauncher {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final DemoSetup setup;

    DemoLauncher(DemoSetup setup) {
        this.setup = setup;
    }

    DemoRun run(Strategy strategy, int round, Path file, long size) {
        return strategy.network() ? runNetwork(strategy, round, file, size, null)
                : runCopy(strategy, round, file, size, null);
    }

    /**
     * Runs once more with the sender paused after start-up, lets {@code tracer} attach to it (strace), then lets
     * it go: the tracer sees the transfer, not the JVM's start.
     */
    DemoRun runTraced(Strategy strategy, Path file, long size, Tracer tracer) {
        return strategy.network() ? runNetwork(strategy, 0, file, size, tracer)
                : runCopy(strategy, 0, file, size, tracer);
    }

    interface Tracer {
        void attach(long pid);
    }

    private DemoRun runNetwork(Strategy strategy, int round, Path file, long size, Tracer tracer) {
        List<String> receiverCmd = new ArrayList<>(setup.receiverPrefix());
        receiverCmd.addAll(jvm("receiver", strategy));
        receiverCmd.addAll(List.of("--bind", setup.host(), "--port", "0",
                "--timeout", String.valueOf(timeout(size).toSeconds())));
        try (ChildJvm receiver = ChildJvm.start(strategy.id() + " receiver", receiverCmd)) {
            String port = receiver.await(Protocol.LISTENING, Duration.ofSeconds(60)).strip();
            List<String> senderCmd = jvm("sender", strategy);
            senderCmd.addAll(List.of("--file", file.toString(), "--host", setup.host(), "--port", port));
            senderCmd.addAll(setup.options());
            try (ChildJvm sender = ChildJvm.start(strategy.id() + " sender", withGo(senderCmd, tracer))) {
                release(sender, tracer);
                RunResult sent = parse(sender.await(Protocol.RESULT, timeout(size)));
                RunResult received = parse(receiver.await(Protocol.RESULT, Duration.ofSeconds(30)));
                sender.awaitExit(Duration.ofSeconds(30));
                receiver.awaitExit(Duration.ofSeconds(30));
                return new DemoRun(strategy.id(), round, DemoRun.integrity(size, sent, received), sent, received);
            }
        }
    }

    private DemoRun runCopy(Strategy strategy, int round, Path file, long size, Tracer tracer) {
        Path target = setup.workDir().resolve("copy-" + strategy.id() + "-" + ProcessHandle.current().pid());
        List<String> cmd = jvm("copy", strategy);
        cmd.addAll(List.of("--file", file.toString(), "--to", target.toString()));
        cmd.addAll(setup.options());
        try (ChildJvm copier = ChildJvm.start(strategy.id() + " copier", withGo(cmd, tracer))) {
            release(copier, tracer);
            RunResult sent = parse(copier.await(Protocol.RESULT, timeout(size)));
            RunResult copied = parse(copier.await(Protocol.RESULT, timeout(size)));
            copier.awaitExit(Duration.ofSeconds(30));
            return new DemoRun(strategy.id(), round, DemoRun.integrity(size, sent, copied), sent, copied);
        } finally {
            deleteQuietly(target);
        }
    }

    private List<String> jvm(String role, Strategy strategy) {
        List<String> cmd = new ArrayList<>();
        cmd.add(setup.java().toString());
        cmd.addAll(setup.jvmFlags());
        cmd.addAll(List.of("-cp", setup.classPath(), DemoMain.class.getName(), role, "--strategy", strategy.id()));
        return cmd;
    }

    private static List<String> withGo(List<String> cmd, Tracer tracer) {
        if (tracer != null) {
            cmd.add("--wait-go");
        }
        return cmd;
    }

    private static void release(ChildJvm sender, Tracer tracer) {
        if (tracer != null) {
            sender.await(Protocol.READY, Duration.ofSeconds(60));
            tracer.attach(sender.pid());
            sender.send("go");
        }
    }

    /** Generous: 60 s plus 10 s per GiB, so only a hung run trips it. */
    private static Duration timeout(long size) {
        return Duration.ofSeconds(60 + 10 * (size >> 30));
    }

    private static RunResult parse(String json) {
        try {
            return JSON.readValue(json, RunResult.class);
        } catch (IOException e) {
            throw new DemoFailure("unreadable result from a demo JVM: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover copy in the cache's work folder; the next run overwrites it
        }
    }
}
