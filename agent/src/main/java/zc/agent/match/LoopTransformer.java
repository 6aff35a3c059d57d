package zc.agent.match;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;
import zc.agent.AgentOptions;
import zc.agent.stats.Stats;

/**
 * Rewrites the copy loops of one class, for the start-up transformer (boot.FirstScanTransformer), which runs the
 * cheapest checks first: the class's name and loader, then a scan of its constant pool ({@link ConstantPoolScan}),
 * then the rewrite cache. Here, one fast ASM pass that lists the methods calling
 * {@code read([B)I} or {@code read([BII)I}; only those are parsed into trees and rewritten, every other method is
 * copied byte for byte. Any failure leaves the class as it was.
 *
 * <p>This used to run through ByteBuddy's AgentBuilder; measured on 5,000 loaded classes, its per-class pipeline
 * (type descriptions, redefinition, and the JIT work it caused) cost most of the agent's class-loading overhead,
 * so the rewrite now drives ASM, ByteBuddy's own bytecode library, directly; StreamTypePool answers the type
 * questions from class-file headers.
 */
public final class LoopTransformer {
    private final AgentOptions options;
    private final MethodRewriter rewriter;

    public LoopTransformer(AgentOptions options) {
        this.options = options;
        this.rewriter = new MethodRewriter(options.mode() == AgentOptions.Mode.OBSERVE);
    }

    /**
     * Rewrites a class that passed {@link ConstantPoolScan#applies} and the constant-pool scan, and records what was
     * registered. Never throws: a failure is reported once, the class's sites are declined and it loads unchanged.
     */
    public Rewrite rewrite(ClassLoader loader, String name, byte[] bytes) {
        Registrations regs = new Registrations();
        StreamTypePool types = new StreamTypePool(loader);
        try {
            byte[] out = rewrite(name, bytes, regs, types);
            log(name, out == null ? " unchanged" : " rewritten");
            return new Rewrite(out, regs.sites(), types.answers(), !regs.isFailed());
        } catch (Throwable t) {
            Stats.error("transforming " + name, t);
            Stats.declineClass(name.replace('/', '.'), "the class could not be transformed: " + t);
            return new Rewrite(null, regs.sites(), types.answers(), false);
        }
    }

    /** With log=debug, one line per class parsed (the rewrite cache prints the same, with "(rewrite cache)"). */
    private void log(String name, String what) {
        if (options.log() == AgentOptions.Log.DEBUG) {
            System.err.println("zc-agent: " + name + what);
        }
    }

    /**
     * What rewriting one class did.
     *
     * @param bytes     the new class file, or null where the class is left as it was
     * @param sites     the call sites registered, in order
     * @param answers   the type questions answered from other class files or the loader
     * @param cacheable false where something failed: the outcome may depend on more than the class file
     */
    public record Rewrite(byte[] bytes, java.util.List<Registrations.Site> sites,
                          java.util.List<StreamTypePool.Answer> answers, boolean cacheable) {
    }

    private byte[] rewrite(String name, byte[] bytes, Registrations regs, StreamTypePool types) {
        ClassReader reader = new ClassReader(bytes);
        Set<String> candidates = methodsCallingRead(reader);
        if (candidates.isEmpty()) {
            return null;
        }
        String className = name.replace('/', '.');
        int major = reader.readUnsignedShort(6);
        boolean[] changed = new boolean[1];
        // Passing the reader lets ASM copy every method that is not visited through a tree, byte for byte.
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String mName, String desc, String signature,
                                             String[] exceptions) {
                MethodVisitor target = super.visitMethod(access, mName, desc, signature, exceptions);
                if (!candidates.contains(mName + desc)) {
                    return target;
                }
                return new MethodNode(Opcodes.ASM9, access, mName, desc, signature, exceptions) {
                    @Override
                    public void visitEnd() {
                        super.visitEnd();
                        changed[0] |= rewriter.rewrite(className, this, types, major, regs);
                        accept(target);
                    }
                };
            }
        }, ClassReader.EXPAND_FRAMES); // absolute frames: removing a loop's inner frames cannot break the next one
        return changed[0] ? writer.toByteArray() : null;
    }

    /** Names (name + descriptor) of the methods that call a read of the copy-loop shape or a copy helper. */
    private static Set<String> methodsCallingRead(ClassReader reader) {
        Set<String> methods = new HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String mName, String desc, String signature,
                                             String[] exceptions) {
                String key = mName + desc;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String d, boolean itf) {
                        if (opcode == Opcodes.INVOKEVIRTUAL && name.equals("read")
                                && (d.equals("([B)I") || d.equals("([BII)I")) || Helper.of(opcode, owner, name, d) != null) {
                            methods.add(key);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return methods;
    }
}
