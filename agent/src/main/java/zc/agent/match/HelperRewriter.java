package zc.agent.match;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Redirects calls of copy helpers ({@link Helper}) to the dispatcher. The arguments are already on the stack; the
 * call becomes {@code ldc <original as a method handle>; ldc code; invokestatic ZcHelpers.copy} (or
 * {@code ZcHelpers.receive}; plus l2i for an int result), so no branch, no local and no stack map frame changes.
 * Method handle constants need class files of Java 7 (version 51) or later.
 */
public final class HelperRewriter {
    private static final String DISPATCHER = "zc/agent/rt/ZcHelpers";

    private HelperRewriter() {
    }

    /** A helper call found in a method. */
    public record Call(MethodInsnNode insn, Helper helper, int line) {
    }

    public static List<Call> find(MethodNode m, CopyLoopFinder.StreamTypes types) {
        List<Call> calls = new ArrayList<>();
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call) {
                Helper h = Helper.of(call.getOpcode(), call.owner, call.name, call.desc);
                if (h != null && (!h.virtual() || types.isInputStream(call.owner))) {
                    calls.add(new Call(call, h, lineOf(call)));
                }
            }
        }
        return calls;
    }

    public static void rewrite(MethodNode m, Call call, int code) {
        MethodInsnNode original = call.insn();
        Handle handle = new Handle(call.helper().virtual() ? Opcodes.H_INVOKEVIRTUAL : Opcodes.H_INVOKESTATIC,
                original.owner, original.name, original.desc, original.itf);
        InsnList replacement = new InsnList();
        replacement.add(new LdcInsnNode(handle));
        replacement.add(new LdcInsnNode(code));
        replacement.add(new MethodInsnNode(Opcodes.INVOKESTATIC, DISPATCHER, call.helper().dispatcher(),
                call.helper().dispatcherDesc(), false));
        if (call.helper().returnsInt()) {
            replacement.add(new InsnNode(Opcodes.L2I));
        }
        m.instructions.insertBefore(original, replacement);
        m.instructions.remove(original);
        m.maxStack += 2; // the handle and the code, above whatever the stack already held
    }

    private static int lineOf(AbstractInsnNode insn) {
        for (AbstractInsnNode p = insn; p != null; p = p.getPrevious()) {
            if (p instanceof LineNumberNode l) {
                return l.line;
            }
        }
        return -1;
    }
}
