package zc.agent.boot;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import zc.agent.AgentOptions;
import zc.agent.match.LoopTransformer;
import zc.agent.rt.ZcCopy;
import zc.agent.stats.AgentStats;
import zc.agent.stats.Stats;
import zc.agent.stats.StatsJson;

/**
 * Installs the agent once the jar is on the bootstrap class path: parses the options, opens the java.base packages
 * the dispatcher needs, and registers the transformer ({@link LoopTransformer}). Every failure here disables the agent and nothing else.
 */
public final class Installer {
    private Installer() {
    }

    public static void install(String args, Instrumentation inst, boolean attached) {
        AgentOptions options;
        try {
            options = AgentOptions.resolve(args, System.getProperties(), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("zc-agent: " + e.getMessage() + "; zc is disabled, the application runs unchanged");
            return;
        }
        if (options.mode() == AgentOptions.Mode.OFF) {
            return;
        }
        try {
            // ByteBuddy's Unsafe-based class injection is never needed here, and on JDK 24+ (JEP 498) merely
            // initialising it prints sun.misc.Unsafe warnings. The property name is relocated with ByteBuddy.
            System.setProperty("net.bytebuddy.safe", "true");
            Stats.quiet(options.log() == AgentOptions.Log.QUIET);
            openJavaBase(inst);
            ZcCopy.configure(options.minBytes(), options.effective() == AgentOptions.Strategy.MMAP,
                    options.effective() != null, options.receive());
            ZcCopy.observe(options.mode() == AgentOptions.Mode.OBSERVE);
            ZcCopy.recentChanges(options.recentMillis());
            LoopTransformer transformer = new LoopTransformer(options);
            inst.addTransformer(transformer, true);
            if (options.mode() == AgentOptions.Mode.REWRITE && options.covers("sun.nio.ch.ChannelInputStream")) {
                zc.agent.jdk.JdkCallees.install(inst);
            }
            if (attached) {
                Retransformer.start(inst, options);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> atExit(args, options), "zc-agent-exit"));
            AgentStats.registerLater(args == null ? "" : args, options.mode().name().toLowerCase());
            if (options.log() == AgentOptions.Log.DEBUG) {
                System.err.println("zc-agent: installed (" + options + ")" + (attached ? " by attach" : ""));
            }
        } catch (Throwable t) {
            System.err.println("zc-agent: disabled, the application runs unchanged: " + t);
        }
    }

    /**
     * java.base opens java.io, java.net, java.nio.channels, sun.nio.ch and sun.nio.fs to zc and reads zc (advice
     * inlined into java.base calls zc); jdk.httpserver opens sun.net.httpserver; jdk.internal.ref: the Cleaner that
     * unmaps a mapped window at once (MappedWindow).
     */
    private static void openJavaBase(Instrumentation inst) {
        Module base = Object.class.getModule();
        Module zc = Installer.class.getModule();
        Set<Module> toZc = Set.of(zc);
        inst.redefineModule(base, toZc, Map.of(),
                Map.of("java.io", toZc, "java.net", toZc, "java.nio.channels", toZc, "sun.nio.ch", toZc,
                        "sun.nio.fs", toZc), Set.of(),
                Map.of());
        // the JDK's HTTP server streams (JdkHttpSinks), when the module is there
        ModuleLayer.boot().findModule("jdk.httpserver")
                .filter(http -> http.getPackages().contains("sun.net.httpserver"))
                .ifPresent(http -> inst.redefineModule(http, Set.of(), Map.of(), Map.of("sun.net.httpserver", toZc),
                        Set.of(), Map.of()));
        if (base.getPackages().contains("jdk.internal.ref")) { // a JDK without it: mmap keeps the loop (MappedWindow)
            inst.redefineModule(base, toZc, Map.of(), Map.of("jdk.internal.ref", toZc), Set.of(), Map.of());
        }
    }

    private static void atExit(String args, AgentOptions options) {
        if (options.out() != null) {
            // again after each call that the application's own shutdown hooks let finish later
            Stats.atExit(() -> writeStats(args, options));
        }
        if (options.log().compareTo(AgentOptions.Log.INFO) >= 0) {
            System.err.println(StatsJson.summary());
        }
    }

    /** Writes the statistics file whole (a temporary file renamed over it), so a reader never sees half of it. */
    private static synchronized void writeStats(String args, AgentOptions options) {
        try {
            Path dir = Path.of(options.out());
            Files.createDirectories(dir);
            String name = "zc-agent-" + ProcessHandle.current().pid() + ".json";
            Path tmp = dir.resolve(name + ".tmp");
            Files.writeString(tmp, StatsJson.render(args == null ? "" : args, options.mode().name().toLowerCase()),
                    StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Stats.error("writing statistics to " + options.out(), e);
        }
    }

}
