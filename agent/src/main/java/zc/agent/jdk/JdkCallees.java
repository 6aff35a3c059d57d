package zc.agent.jdk;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import zc.agent.rt.ZcCallee;
import zc.agent.stats.Stats;

/**
 * Copies made inside the JDK, handled at the callee: the JDK's file server ({@code java -m jdk.httpserver},
 * {@code SimpleFileServer}) copies with {@code Files.newInputStream(path).transferTo(exchange.getResponseBody())},
 * JDK code the loop transformer never rewrites. On newer JDKs (25 read; looked up on the running JDK)
 * {@code sun.nio.ch.ChannelInputStream} declares its own {@code transferTo} (zero-copy only into the JDK's channel
 * streams); zc inlines {@link TransferToAdvice} into that
 * one method, by retransformation without class-format changes (no new members: ByteBuddy's implementation context
 * is disabled). JDK 17 has no file server and its ChannelInputStream inherits {@code InputStream.transferTo}, shared
 * by every stream of the JVM: not hooked there (its JDK callers, {@code Files.copy(Path, OutputStream)}, are
 * rewritten at the application's call site). Only with mode=rewrite. Any failure leaves the class as it was.
 */
public final class JdkCallees implements ClassFileTransformer {
    static final String TARGET = "sun/nio/ch/ChannelInputStream";

    public static void install(Instrumentation inst) {
        Class<?> target;
        try {
            target = Class.forName(TARGET.replace('/', '.'));
            target.getDeclaredMethod("transferTo", OutputStream.class);
        } catch (ReflectiveOperationException notOnThisJdk) {
            return; // JDK 17: see above
        }
        JdkCallees transformer = new JdkCallees();
        inst.addTransformer(transformer, true);
        try {
            inst.retransformClasses(target);
        } catch (Throwable t) {
            Stats.error("retransforming " + target.getName(), t);
        } finally {
            inst.removeTransformer(transformer);
        }
    }

    /** The advice's class file, from zc's jar (on the boot class path, which ByteBuddy's boot locator misses). */
    private static ClassFileLocator adviceLocator() throws java.io.IOException {
        String file = TransferToAdvice.class.getSimpleName() + ".class";
        try (java.io.InputStream in = TransferToAdvice.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new java.io.FileNotFoundException(file);
            }
            return ClassFileLocator.Simple.of(TransferToAdvice.class.getName(), in.readAllBytes());
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        if (loader != null || !TARGET.equals(name)) {
            return null;
        }
        try {
            String dotted = name.replace('/', '.');
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(dotted, bytes),
                    ClassFileLocator.ForClassLoader.ofBootLoader());
            TypeDescription type = TypePool.Default.of(locator).describe(dotted).resolve();
            byte[] out = new ByteBuddy()
                    .with(TypeValidation.DISABLED)
                    .with(Implementation.Context.Disabled.Factory.INSTANCE)
                    .redefine(type, locator)
                    .visit(Advice.to(TransferToAdvice.class, adviceLocator())
                            .on(named("transferTo").and(takesArguments(OutputStream.class))))
                    .make()
                    .getBytes();
            ZcCallee.enable();
            return out;
        } catch (Throwable t) {
            Stats.error("transforming " + name, t);
            return null;
        }
    }
}
