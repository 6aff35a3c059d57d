package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ConstantPoolScanTest {

    @Test
    void passesClassesThatNameReadAndWriteOfTheLoopShape() throws Exception {
        assertTrue(ConstantPoolScan.mayHoldCopyLoop(bytes(zc.corpus.Loops.class)));
    }

    @Test
    void rejectsClassesThatDoNot() throws Exception {
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(bytes(LoopShape.class)));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(bytes(ConstantPoolScanTest.class)));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(new byte[] {1, 2, 3}));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(new byte[] {(byte) 0xca, (byte) 0xfe, 0, 0, 0, 0, 0, 0, 0x7f}));
    }

    private static byte[] bytes(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
