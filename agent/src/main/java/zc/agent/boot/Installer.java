package zc.agent.boot;

import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import zc.agent.AgentOptions;
import zc.agent.match.LoopTransformer;
import zc.agent.rt.ZcCopy;
import zc.agent.stats.AgentStats;
import zc.agent.stats.Stats;
import zc.agent.stats.StatsJson;

/**
 * Installs the agent: parses the options, makes the runtime classes visible to every loader ({@link RuntimeClasses}),
 * opens the java.base packages the dispatcher needs, and turns on the class-load hook: in C where it can
 * ({@link NativeHook}), else a Java transformer; either hands the classes that may hold a copy to
 * {@link FirstScanTransformer}, which creates the {@link LoopTransformer} for the first class that needs it. Every failure here disables the
 * agent and nothing else. Nothing here touches JMX or JFR: both are set up later, and only when someone looks.
 */
public final class Installer {
    private Installer() {
    }

    /** Installs zc; false when nothing was installed (bad options, mode=off), so that a later load may. */
    public static boolean install(String args, Instrumentation inst, boolean attached) {
        AgentOptions options;
        try {
            options = AgentOptions.resolve(args, System.getProperties(), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("zc-agent: " + e.getMessage() + "; zc is disabled, the application runs unchanged");
            LoadOutcome.refused(e.getMessage());
            return false;
        }
        if (options.mode() == AgentOptions.Mode.OFF) {
            LoadOutcome.refused("mode=off (from the options, -Dzc.mode or ZC_MODE): nothing installed");
            return false;
        }
        String out = unwritableOut(options);
        if (out != null) {
            System.err.println("zc-agent: " + out + "; zc is disabled, the application runs unchanged");
            LoadOutcome.refused(out);
            return false;
        }
        try {
            if (!RuntimeClasses.defineInBootLoader(inst)) {
                inst.appendToBootstrapClassLoaderSearch(new JarFile(
                        new File(Installer.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
            }
            Stats.quiet(options.log() == AgentOptions.Log.QUIET);
            openJavaBase(inst);
            zc.agent.rt.DispatcherInit.prepare();
            ZcCopy.configure(options.minBytes(), options.effective() == AgentOptions.Strategy.MMAP,
                    options.effective() != null, options.receive());
            ZcCopy.observe(options.mode() == AgentOptions.Mode.OBSERVE);
            ZcCopy.recentChanges(options.recentMillis());
            // JDK 21+: JDK 17's ChannelInputStream declares no transferTo to hook (JdkCallees), and looking for it
            // among the loaded classes costs a walk of all of them
            boolean hookJdk = options.mode() == AgentOptions.Mode.REWRITE && Runtime.version().feature() >= 21
                    && options.covers("sun.nio.ch.ChannelInputStream");
            FirstScanTransformer transformer = new FirstScanTransformer(options, hookJdk);
            String noHook = attached ? "zc attach loads no library"
                    : options.hook() == AgentOptions.Hook.JAVA ? "hook=java"
                    : NativeHook.install(transformer, hookJdk ? zc.agent.jdk.JdkCallees.TARGET : null);
            if (options.log() == AgentOptions.Log.DEBUG) {
                System.err.println("zc-agent: class-load hook: " + (noHook == null ? "native"
                        : "Java transformer (" + noHook + ")"));
            }
            if (noHook != null) {
                inst.addTransformer(transformer, true);
            }
            // The hook in C is retransformation-capable, as the Java transformer is: either sees what follows.
            if (hookJdk) {
                zc.agent.jdk.JdkCallees.installIfLoaded(inst);
            }
            if (attached || Runtime.version().feature() >= 24) {
                // JDK 24+ (JEP 483): classes an AOT cache links ahead of time are loaded before premain without
                // passing through any transformer; they are checked again like the classes found by an attach, but
                // within premain, before main.
                Retransformer.start(inst, options, attached);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(new AtExit(args, options), "zc-agent-exit"));
            AgentStats.registerLater(args == null ? "" : args, options.mode().name().toLowerCase());
            if (options.log() == AgentOptions.Log.DEBUG) {
                System.err.println("zc-agent: installed (" + options + ")" + (attached ? " by attach" : ""));
            }
            LoadOutcome.loaded("mode=" + options.mode().name().toLowerCase());
        } catch (Throwable t) {
            NativeHook.off(); // where it was on: from now on every class loads as it is
            System.err.println("zc-agent: disabled, the application runs unchanged: " + t);
            LoadOutcome.failed(String.valueOf(t));
        }
        return true;
    }

    /**
     * out=DIR that cannot be created or written is a bad option, refused at start-up like any other (one line, the
     * application runs without zc), not found only at exit when the statistics are lost. Null when it is fine.
     */
    private static String unwritableOut(AgentOptions options) {
        if (options.out() == null) {
            return null;
        }
        try {
            Path out = Path.of(options.out());
            if (Files.exists(out) && !Files.isDirectory(out)) {
                return "out=" + options.out() + ": not a directory";
            }
            Path dir = Files.createDirectories(out);
            return Files.isWritable(dir) ? null : "out=" + options.out() + ": the statistics directory is not writable";
        } catch (FileSystemException e) {
            return "out=" + options.out() + ": the statistics directory cannot be created ("
                    + (e.getReason() != null ? e.getReason() : e instanceof java.nio.file.NoSuchFileException
                        ? "No such file or directory" : e.getClass().getSimpleName()) + ")";
        } catch (IOException | RuntimeException e) {
            return "out=" + options.out() + ": the statistics directory cannot be created (" + e + ")";
        }
    }

    /**
     * java.base opens java.io, java.net, java.nio.channels, sun.nio.ch and sun.nio.fs to zc's runtime classes and
     * reads them (advice inlined into java.base calls them); jdk.httpserver opens sun.net.httpserver; jdk.internal.ref:
     * the Cleaner that unmaps a mapped window at once (MappedWindow).
     */
    private static void openJavaBase(Instrumentation inst) {
        Module base = Object.class.getModule();
        Module zc = ZcCopy.class.getModule(); // the bootstrap loader's unnamed module
        Set<Module> toZc = Set.of(zc);
        inst.redefineModule(base, toZc, Map.of(),
                Map.of("java.io", toZc, "java.net", toZc, "java.nio.channels", toZc, "sun.nio.ch", toZc,
                        "sun.nio.fs", toZc), Set.of(),
                Map.of());
        // the JDK's HTTP server streams (JdkHttpSinks), when the module is there
        Module http = ModuleLayer.boot().findModule("jdk.httpserver").orElse(null);
        if (http != null && http.getPackages().contains("sun.net.httpserver")) {
            inst.redefineModule(http, Set.of(), Map.of(), Map.of("sun.net.httpserver", toZc), Set.of(), Map.of());
        }
        if (base.getPackages().contains("jdk.internal.ref")) { // a JDK without it: mmap keeps the loop (MappedWindow)
            inst.redefineModule(base, toZc, Map.of(), Map.of("jdk.internal.ref", toZc), Set.of(), Map.of());
        }
    }

    /** The summary line waits at most this many 10 ms steps for dispatcher calls still running at exit. */
    private static final int SUMMARY_WAIT_STEPS = 20;

    /** Writes the statistics when the JVM exits (a class, not a lambda: no lambda bootstrap in premain). */
    private record AtExit(String args, AgentOptions options) implements Runnable {
        @Override
        public void run() {
            if (options.out() != null) {
                // again after each call that the application's own shutdown hooks let finish later
                Stats.atExit(new StatsFile(args, options));
            }
            if (options.log().compareTo(AgentOptions.Log.INFO) >= 0) {
                // a call whose bytes were all sent counts them when it returns: a SIGTERM sent as soon as the client
                // has the body (zc bench startup does) can run this first, and the line said "0 bytes by sendfile"
                for (int i = 0; i < SUMMARY_WAIT_STEPS && Stats.running() > 0; i++) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                System.err.println(StatsJson.summary());
            }
        }
    }

    /** Writes the statistics file whole (a temporary file renamed over it), so a reader never sees half of it. */
    private record StatsFile(String args, AgentOptions options) implements Runnable {
        @Override
        public synchronized void run() {
            try {
                Path dir = Path.of(options.out());
                Files.createDirectories(dir);
                String name = "zc-agent-" + ProcessHandle.current().pid() + ".json";
                Path tmp = dir.resolve(name + ".tmp");
                Files.writeString(tmp, StatsJson.render(args == null ? "" : args,
                        options.mode().name().toLowerCase()), StandardCharsets.UTF_8);
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                System.err.println("zc-agent: could not write statistics to " + options.out() + ": " + e);
            }
        }
    }

}
