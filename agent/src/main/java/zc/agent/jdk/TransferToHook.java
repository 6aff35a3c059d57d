package zc.agent.jdk;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The instructions added to the JDK's own {@code sun.nio.ch.ChannelInputStream.transferTo(OutputStream)}
 * ({@link JdkCallees}): on entry {@code long sent = ZcCallee.transferTo(this, out)}, where zc moves what it can
 * zero-copy and leaves the channel after those bytes; the JDK's method then runs as written from there (it finds the
 * end of the file, or copies what was appended), and each {@code return n} becomes {@code return n + sent}. An I/O
 * error of zc's transfer is the method's own exception, as the JDK's write would have thrown it; zc's internal
 * failures never leave {@code ZcCallee}.
 *
 * <p>{@code sent} lives in a new local after the method's own ones. The class is read with expanded frames, and
 * every frame of the method gets that local appended: it is assigned before the first instruction of the original
 * code, so it is defined at every branch target.
 */
final class TransferToHook extends MethodNode {
    static final String DESCRIPTOR = "(Ljava/io/OutputStream;)J";
    private static final String CALLEE = "zc/agent/rt/ZcCallee";

    private final MethodVisitor target;

    TransferToHook(int access, String name, String desc, String signature, String[] exceptions,
                   MethodVisitor target) {
        super(Opcodes.ASM9, access, name, desc, signature, exceptions);
        this.target = target;
    }

    @Override
    public void visitEnd() {
        super.visitEnd();
        int sent = maxLocals;
        for (AbstractInsnNode insn = instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof FrameNode frame) {
                frame.local = withSent(frame.local, sent);
            } else if (insn.getOpcode() == Opcodes.LRETURN) {
                instructions.insertBefore(insn, new VarInsnNode(Opcodes.LLOAD, sent));
                instructions.insertBefore(insn, new InsnNode(Opcodes.LADD));
            }
        }
        InsnList entry = new InsnList();
        entry.add(new VarInsnNode(Opcodes.ALOAD, 0));
        entry.add(new VarInsnNode(Opcodes.ALOAD, 1));
        entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, CALLEE, "transferTo",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", false));
        entry.add(new VarInsnNode(Opcodes.LSTORE, sent));
        instructions.insert(entry);
        maxLocals += 2;
        maxStack += 4;
        accept(target);
    }

    /** A frame's locals (expanded: one entry per value, long and double taking two slots) with {@code sent} added. */
    private static List<Object> withSent(List<Object> local, int sent) {
        List<Object> out = new ArrayList<>(local);
        int slots = 0;
        for (Object v : local) {
            slots += v == Opcodes.LONG || v == Opcodes.DOUBLE ? 2 : 1;
        }
        for (; slots < sent; slots++) {
            out.add(Opcodes.TOP);
        }
        out.add(Opcodes.LONG);
        return out;
    }

    /** The class file with the hook in its own transferTo, or null where it declares none. */
    static byte[] addTo(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] hooked = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String mName, String desc, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, mName, desc, signature, exceptions);
                if (!hooks(access, mName, desc)) {
                    return mv;
                }
                hooked[0] = true;
                return new TransferToHook(access, mName, desc, signature, exceptions, mv);
            }
        }, ClassReader.EXPAND_FRAMES); // full frames: the hook's local is appended to each
        return hooked[0] ? writer.toByteArray() : null;
    }

    static boolean hooks(int access, String name, String desc) {
        return name.equals("transferTo") && desc.equals(DESCRIPTOR) && (access & Opcodes.ACC_STATIC) == 0;
    }
}
