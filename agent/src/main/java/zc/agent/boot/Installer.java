package zc.agent.boot;

import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;
import org.objectweb.asm.ClassReader;
import zc.agent.AgentOptions;
import zc.agent.match.CopyLoopWrapper;
import zc.agent.rt.ZcCopy;
import zc.agent.stats.AgentStats;
import zc.agent.stats.Stats;
import zc.agent.stats.StatsJson;

/**
 * Installs the agent once the jar is on the bootstrap class path: parses the options, opens the java.base packages
 * the dispatcher needs, and registers the transformer. Every failure here disables the agent and nothing else.
 */
public final class Installer {
    private Installer() {
    }

    public static void install(String args, Instrumentation inst, boolean attached) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
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
            ZcCopy.configure(options.mode() == AgentOptions.Mode.REWRITE, options.minBytes(),
                    options.strategy() == AgentOptions.Strategy.MMAP);
            ClassFileTransformer byteBuddy = agentBuilder(options).makeRaw();
            inst.addTransformer(new PrecheckTransformer(byteBuddy, options), false);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> atExit(args, options), "zc-agent-exit"));
            AgentStats.registerLater(args == null ? "" : args, options.mode().name().toLowerCase());
            if (options.log() == AgentOptions.Log.DEBUG) {
                System.err.println("zc-agent: installed (" + options + ")" + (attached ? " by attach" : ""));
            }
        } catch (Throwable t) {
            System.err.println("zc-agent: disabled, the application runs unchanged: " + t);
        }
    }

    /** java.base opens java.io, java.net, java.nio.channels and sun.nio.ch to zc, and reads zc's module (advice inlined there). */
    private static void openJavaBase(Instrumentation inst) {
        Module base = Object.class.getModule();
        Module zc = Installer.class.getModule();
        Set<Module> toZc = Set.of(zc);
        inst.redefineModule(base, toZc, Map.of(),
                Map.of("java.io", toZc, "java.net", toZc, "java.nio.channels", toZc, "sun.nio.ch", toZc), Set.of(),
                Map.of());
    }

    private static AgentBuilder agentBuilder(AgentOptions options) {
        CopyLoopWrapper loops = new CopyLoopWrapper(options.mode() == AgentOptions.Mode.OBSERVE);
        AsmVisitorWrapper visitor = new AsmVisitorWrapper.ForDeclaredMethods()
                .readerFlags(ClassReader.EXPAND_FRAMES)
                .invokable(ElementMatchers.any(), loops);
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(new ErrorListener())
                .ignore(ElementMatchers.none())
                .type(ElementMatchers.any())
                .transform((DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                            JavaModule module, java.security.ProtectionDomain pd) -> builder.visit(visitor));
    }

    private static void atExit(String args, AgentOptions options) {
        try {
            if (options.out() != null) {
                Path dir = Path.of(options.out());
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("zc-agent-" + ProcessHandle.current().pid() + ".json"),
                        StatsJson.render(args == null ? "" : args, options.mode().name().toLowerCase()),
                        StandardCharsets.UTF_8);
            }
            if (options.log().compareTo(AgentOptions.Log.INFO) >= 0) {
                System.err.println(StatsJson.summary());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("zc-agent: could not write statistics to " + options.out() + ": " + e);
        }
    }

    /** Classes whose transformation fails load unchanged; their sites say so. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            Stats.error("transforming " + typeName, throwable);
            Stats.declineClass(typeName, "the class could not be transformed: " + throwable);
        }
    }

    /**
     * Looks at every class before ByteBuddy does: skips zc's own classes, the JDK's, classes outside
     * include/exclude, and every class whose constant pool names no read and write methods of the right shape.
     */
    private static final class PrecheckTransformer implements ClassFileTransformer {
        private final ClassFileTransformer delegate;
        private final AgentOptions options;

        PrecheckTransformer(ClassFileTransformer delegate, AgentOptions options) {
            this.delegate = delegate;
            this.options = options;
        }

        @Override
        public byte[] transform(ClassLoader loader, String name, Class<?> redefined,
                                java.security.ProtectionDomain pd, byte[] bytes) {
            try {
                if (name == null || loader == null || skipped(name)
                        || !options.covers(name.replace('/', '.'))
                        || !zc.agent.match.ConstantPoolScan.mayHoldCopyLoop(bytes)) {
                    return null;
                }
                byte[] out = delegate.transform(loader, name, redefined, pd, bytes);
                if (options.log() == AgentOptions.Log.DEBUG) {
                    System.err.println("zc-agent: " + name + (out == null ? " unchanged" : " transformed"));
                }
                return out;
            } catch (Throwable t) {
                Stats.error("transforming " + name, t);
                return null;
            }
        }

        private static boolean skipped(String name) {
            return name.startsWith("zc/agent/") || name.startsWith("java/") || name.startsWith("javax/")
                    || name.startsWith("jdk/") || name.startsWith("sun/") || name.startsWith("com/sun/");
        }
    }
}
