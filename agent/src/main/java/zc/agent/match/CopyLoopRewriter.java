package zc.agent.match;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Replaces a {@link CopyLoopFinder.Rewritable} loop with one call to the dispatcher:
 *
 * <pre>
 *   Lc: total += (long) ZcCopy.copy(in, out, buf, code);   // or pop2 without a total
 *       n = ZcCopy.lastRead();                              // or n = -1 when nothing reads n afterwards
 *       goto Le
 *   Le: ...
 * </pre>
 *
 * The loop's instructions are removed but its labels, line numbers and frames stay, so the stack map frames at the
 * loop head and exit (and local variable tables) remain valid: the locals hold the same types there as before.
 */
public final class CopyLoopRewriter {
    public static final String DISPATCHER = "zc/agent/rt/ZcCopy";

    private CopyLoopRewriter() {
    }

    public static void rewrite(MethodNode method, CopyLoopFinder.Rewritable loop, int code) {
        InsnList call = new InsnList();
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.in()));
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.out()));
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.buf()));
        call.add(new LdcInsnNode(code));
        call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "copy",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;[BI)J", false));
        if ("J".equals(loop.totalDesc())) {
            call.add(new VarInsnNode(Opcodes.LLOAD, loop.total()));
            call.add(new InsnNode(Opcodes.LADD));
            call.add(new VarInsnNode(Opcodes.LSTORE, loop.total()));
        } else if ("I".equals(loop.totalDesc())) {
            // int arithmetic wraps the same whether n is added chunk by chunk or all at once
            call.add(new InsnNode(Opcodes.L2I));
            call.add(new VarInsnNode(Opcodes.ILOAD, loop.total()));
            call.add(new InsnNode(Opcodes.IADD));
            call.add(new VarInsnNode(Opcodes.ISTORE, loop.total()));
        } else {
            call.add(new InsnNode(Opcodes.POP2));
        }
        if (loop.nLive()) {
            call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "lastRead", "()I", false));
        } else {
            call.add(new InsnNode(Opcodes.ICONST_M1));
        }
        call.add(new VarInsnNode(Opcodes.ISTORE, loop.n()));
        call.add(new JumpInsnNode(Opcodes.GOTO, loop.exit()));

        AbstractInsnNode end = loop.back().getNext();
        AbstractInsnNode insn = loop.head();
        method.instructions.insertBefore(insn, call);
        while (insn != end) {
            AbstractInsnNode next = insn.getNext();
            if (insn.getOpcode() >= 0) {
                method.instructions.remove(insn);
            }
            insn = next;
        }
        method.maxStack = Math.max(method.maxStack, 6);
    }
}
