package zc.agent.jdk;

import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import zc.agent.rt.ZcCallee;
import zc.agent.stats.Stats;

/**
 * Copies made inside the JDK, handled at the callee: the JDK's file server ({@code java -m jdk.httpserver},
 * {@code SimpleFileServer}) copies with {@code Files.newInputStream(path).transferTo(exchange.getResponseBody())},
 * JDK code the loop transformer never rewrites. On newer JDKs (25 read; looked up on the running JDK)
 * {@code sun.nio.ch.ChannelInputStream} declares its own {@code transferTo} (zero-copy only into the JDK's channel
 * streams); zc adds {@link TransferToHook}'s few instructions to that one method, by retransformation without
 * class-format changes. JDK 17 has no file server and its ChannelInputStream inherits {@code InputStream.transferTo},
 * shared by every stream of the JVM: not hooked there (its JDK callers, {@code Files.copy(Path, OutputStream)}, are
 * rewritten at the application's call site). Only with mode=rewrite. Any failure leaves the class as it was.
 *
 * <p>Plain ASM, not ByteBuddy's {@code Advice}: the same hook through ByteBuddy cost about 200 ms of CPU at start-up
 * on JDK 25 (its type pool and descriptions initialised and run cold, and the JIT work they caused), this about a
 * tenth of that.
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

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
        if (loader != null || !TARGET.equals(name)) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, 0);
            boolean[] hooked = new boolean[1];
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String mName, String desc, String signature,
                                                 String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, mName, desc, signature, exceptions);
                    if (!TransferToHook.hooks(access, mName, desc)) {
                        return mv;
                    }
                    hooked[0] = true;
                    return new TransferToHook(access, mName, desc, signature, exceptions, mv);
                }
            }, ClassReader.EXPAND_FRAMES); // full frames: the hook's local is appended to each
            if (!hooked[0]) {
                return null;
            }
            byte[] out = writer.toByteArray();
            ZcCallee.enable();
            return out;
        } catch (Throwable t) {
            Stats.error("transforming " + name, t);
            return null;
        }
    }
}
