package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;

/**
 * A copy loop as JaCoCo's agent leaves it (a probe store at the start of the body), with the probe array from
 * {@code $jacocoInit()} (class files before Java 11) or from the {@code $jacocoData} constant (Java 11 and later):
 * declined for its probes. The same store into an ordinary boolean array keeps the generic reason.
 */
class CoverageProbesTest {
    private static final CopyLoopFinder.StreamTypes JDK = new CopyLoopFinder.StreamTypes() {
        public boolean isInputStream(String n) {
            return n.equals("java/io/InputStream");
        }

        public boolean isOutputStream(String n) {
            return n.equals("java/io/OutputStream");
        }
    };

    @Test
    void probesFromJacocoInitAreNamed() throws Exception {
        assertEquals(CoverageProbes.REASON, reason(Init.METHOD));
    }

    @Test
    void probesFromTheJacocoDataConstantAreNamed() throws Exception {
        assertEquals(CoverageProbes.REASON, reason(Init.CONSTANT));
    }

    @Test
    void anOrdinaryBooleanArrayIsNotCoverage() throws Exception {
        assertEquals("the loop body does more than write and count: calls java.io.OutputStream.write",
                reason(Init.NEW_ARRAY));
    }

    enum Init { METHOD, CONSTANT, NEW_ARRAY }

    private static String reason(Init init) throws Exception {
        List<CopyLoopFinder.Found> found = CopyLoopFinder.find("app/Copy", copyLoop(init), JDK);
        assertEquals(1, found.size());
        return assertInstanceOf(CopyLoopFinder.Declined.class, found.get(0)).reason();
    }

    /** static void copy(InputStream in, OutputStream out): byte[] buf; int n; boolean[] probes in local 4. */
    private static MethodNode copyLoop(Init init) {
        MethodNode m = new MethodNode(Opcodes.ACC_STATIC, "copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)V",
                null, null);
        switch (init) {
            case METHOD -> m.visitMethodInsn(Opcodes.INVOKESTATIC, "app/Copy", "$jacocoInit", "()[Z", false);
            case CONSTANT -> {
                Handle bootstrap = new Handle(Opcodes.H_INVOKESTATIC, "app/Copy", "$jacocoInit",
                        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)[Z", false);
                m.visitLdcInsn(new ConstantDynamic("$jacocoData", "Ljava/lang/Object;", bootstrap));
                m.visitTypeInsn(Opcodes.CHECKCAST, "[Z");
            }
            case NEW_ARRAY -> {
                m.visitIntInsn(Opcodes.BIPUSH, 8);
                m.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_BOOLEAN);
            }
        }
        m.visitVarInsn(Opcodes.ASTORE, 4);
        m.visitIntInsn(Opcodes.SIPUSH, 8192);
        m.visitIntInsn(Opcodes.NEWARRAY, Opcodes.T_BYTE);
        m.visitVarInsn(Opcodes.ASTORE, 2);
        Label top = new Label();
        Label end = new Label();
        m.visitLabel(top);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitVarInsn(Opcodes.ALOAD, 2);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/InputStream", "read", "([B)I", false);
        m.visitInsn(Opcodes.DUP);
        m.visitVarInsn(Opcodes.ISTORE, 3);
        m.visitInsn(Opcodes.ICONST_M1);
        m.visitJumpInsn(Opcodes.IF_ICMPEQ, end);
        m.visitVarInsn(Opcodes.ALOAD, 4); // probes[2] = true, as JaCoCo's ProbeInserter writes it
        m.visitInsn(Opcodes.ICONST_2);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitInsn(Opcodes.BASTORE);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitVarInsn(Opcodes.ALOAD, 2);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitVarInsn(Opcodes.ILOAD, 3);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/io/OutputStream", "write", "([BII)V", false);
        m.visitJumpInsn(Opcodes.GOTO, top);
        m.visitLabel(end);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(4, 5);
        return m;
    }
}
