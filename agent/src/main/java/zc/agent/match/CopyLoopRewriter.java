package zc.agent.match;

import java.util.Map;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
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
 * The loop's instructions (and the frames of jump targets inside it) are removed; its labels and line numbers stay.
 * A try/catch inside the loop (its handler outside) is moved to cover the call.
 * The stack map frames at the loop head and exit remain valid: the locals hold the same types there as before.
 */
public final class CopyLoopRewriter {
    public static final String DISPATCHER = "zc/agent/rt/ZcCopy";

    private CopyLoopRewriter() {
    }

    public static void rewrite(MethodNode method, CopyLoopFinder.Rewritable loop, int code) {
        InsnList call = new InsnList();
        LabelNode tryStart = new LabelNode();
        call.add(tryStart);
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.in()));
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.out()));
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.buf()));
        if (loop.chunk() != null) {
            // in.read(buf, 0, CHUNK): the dispatcher reads CHUNK bytes at a time too
            call.add(loop.chunk().clone(Map.of()));
            call.add(new LdcInsnNode(code));
            call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "copyChunks",
                    "(Ljava/io/InputStream;Ljava/io/OutputStream;[BII)J", false));
        } else {
            call.add(new LdcInsnNode(code));
            call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "copy",
                    "(Ljava/io/InputStream;Ljava/io/OutputStream;[BI)J", false));
        }
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
        LabelNode tryEnd = new LabelNode();
        call.add(tryEnd);
        call.add(new JumpInsnNode(Opcodes.GOTO, loop.exit()));

        replace(method, loop.head(), loop.back(), call);
        if (!loop.caught().isEmpty()) {
            // the handler of the try/catch inside the loop now catches what the call throws, in the same place in
            // the table (inner handlers before outer ones); the old ranges have no instructions left
            TryCatchBlockNode first = loop.caught().get(0);
            int at = method.tryCatchBlocks.indexOf(first);
            method.tryCatchBlocks.removeAll(loop.caught());
            method.tryCatchBlocks.add(at, new TryCatchBlockNode(tryStart, tryEnd, first.handler, first.type));
        }
        method.maxStack = Math.max(method.maxStack, 7);
    }

    /** Replaces a bounded loop: {@code remaining -= ZcCopy.copyBounded(in, out, buf, remaining, n, code)}. */
    public static void rewrite(MethodNode method, BoundedLoopFinder.Bounded loop, int code) {
        InsnList call = new InsnList();
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.in()));
        if (loop.randomAccess()) { // the dispatcher takes an InputStream: one whose reads are the file's own
            call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "zc/agent/rt/RandomAccessFileStream", "of",
                    "(Ljava/io/RandomAccessFile;)Ljava/io/InputStream;", false));
        }
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.out()));
        call.add(new VarInsnNode(Opcodes.ALOAD, loop.buf()));
        if (loop.longRemaining()) {
            call.add(new VarInsnNode(Opcodes.LLOAD, loop.remaining()));
        } else {
            call.add(new VarInsnNode(Opcodes.ILOAD, loop.remaining()));
            call.add(new InsnNode(Opcodes.I2L));
        }
        // n keeps its value when no read happens; it is only read when definitely assigned before the loop
        call.add(loop.nLive() ? new VarInsnNode(Opcodes.ILOAD, loop.n()) : new InsnNode(Opcodes.ICONST_M1));
        if (loop.chunk() != null) {
            call.add(loop.chunk().clone(Map.of()));
            call.add(new LdcInsnNode(code));
            call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "copyBoundedChunks",
                    "(Ljava/io/InputStream;Ljava/io/OutputStream;[BJIII)J", false));
        } else {
            call.add(new LdcInsnNode(code));
            call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "copyBounded",
                    "(Ljava/io/InputStream;Ljava/io/OutputStream;[BJII)J", false));
        }
        if (loop.longRemaining()) {
            call.add(new InsnNode(Opcodes.LNEG));
            call.add(new VarInsnNode(Opcodes.LLOAD, loop.remaining()));
            call.add(new InsnNode(Opcodes.LADD));
            call.add(new VarInsnNode(Opcodes.LSTORE, loop.remaining()));
        } else {
            call.add(new InsnNode(Opcodes.L2I));
            call.add(new InsnNode(Opcodes.INEG));
            call.add(new VarInsnNode(Opcodes.ILOAD, loop.remaining()));
            call.add(new InsnNode(Opcodes.IADD));
            call.add(new VarInsnNode(Opcodes.ISTORE, loop.remaining()));
        }
        if (loop.nLive()) {
            call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "lastRead", "()I", false));
            call.add(new VarInsnNode(Opcodes.ISTORE, loop.n()));
        }
        call.add(new JumpInsnNode(Opcodes.GOTO, loop.exit()));
        replace(method, loop.head(), loop.back(), call);
        method.maxStack = Math.max(method.maxStack, 9);
    }

    /**
     * Puts a zero-copy prefix in front of a {@link BoundedLoopFinder.Flagged} loop and leaves the loop as it is:
     *
     * <pre>
     *       if (!everything &amp;&amp; pending > 0) {
     *           pending -= ZcCopy.copyPrefix(in, out, buf, pending, chunk, n, code);   // in: loaded as the loop does
     *           n = ZcCopy.lastRead();                                                  // when read afterwards
     *       }
     *   Lh: while (pending > 0 || everything) { ... }                                  // as written
     * </pre>
     *
     * The prefix is reached by falling through (no new jump target, so no new stack map frame) and leaves the
     * locals with the types they had, so the frame at the loop head still holds.
     */
    public static void rewritePrefix(MethodNode method, BoundedLoopFinder.Flagged loop, int code) {
        LabelNode head = loop.back().label;
        InsnList pre = new InsnList();
        LabelNode start = new LabelNode();
        pre.add(start);
        if (loop.line() > 0) {
            pre.add(new LineNumberNode(loop.line(), start));
        }
        pre.add(new VarInsnNode(Opcodes.ILOAD, loop.flag()));
        pre.add(new JumpInsnNode(Opcodes.IFNE, head));
        pre.add(new VarInsnNode(Opcodes.LLOAD, loop.remaining()));
        pre.add(new InsnNode(Opcodes.LCONST_0));
        pre.add(new InsnNode(Opcodes.LCMP));
        pre.add(new JumpInsnNode(Opcodes.IFLE, head));
        for (AbstractInsnNode insn : loop.source()) {
            pre.add(insn.clone(Map.of()));
        }
        pre.add(new VarInsnNode(Opcodes.ALOAD, loop.out()));
        pre.add(new VarInsnNode(Opcodes.ALOAD, loop.buf()));
        pre.add(new VarInsnNode(Opcodes.LLOAD, loop.remaining()));
        pre.add(new VarInsnNode(Opcodes.LLOAD, loop.chunk()));
        pre.add(loop.nLive() ? new VarInsnNode(Opcodes.ILOAD, loop.n()) : new InsnNode(Opcodes.ICONST_M1));
        pre.add(new LdcInsnNode(code));
        pre.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "copyPrefix",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;[BJJII)J", false));
        pre.add(new InsnNode(Opcodes.LNEG));
        pre.add(new VarInsnNode(Opcodes.LLOAD, loop.remaining()));
        pre.add(new InsnNode(Opcodes.LADD));
        pre.add(new VarInsnNode(Opcodes.LSTORE, loop.remaining()));
        if (loop.nLive()) {
            pre.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, "lastRead", "()I", false));
            pre.add(new VarInsnNode(Opcodes.ISTORE, loop.n()));
        }
        AbstractInsnNode first = loop.head();
        while (first.getPrevious() != null && first.getPrevious().getOpcode() < 0) {
            first = first.getPrevious(); // before the head's labels, line number and frame
        }
        method.instructions.insertBefore(first, pre);
        method.maxStack = Math.max(method.maxStack, 10);
    }

    private static void replace(MethodNode method, AbstractInsnNode head, JumpInsnNode back, InsnList call) {
        AbstractInsnNode end = back.getNext();
        AbstractInsnNode insn = head;
        method.instructions.insertBefore(insn, call);
        while (insn != end) {
            AbstractInsnNode next = insn.getNext();
            // instructions and the stack map frames of jump targets inside the loop go; labels and line numbers
            // stay (local variable ranges refer to them). Frames are expanded, so no other frame depends on these.
            if (insn.getOpcode() >= 0 || insn instanceof org.objectweb.asm.tree.FrameNode) {
                method.instructions.remove(insn);
            }
            insn = next;
        }
    }
}
