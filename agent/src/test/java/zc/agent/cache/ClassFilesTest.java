package zc.agent.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import zc.agent.match.ClassFiles;

/** zc's own class-file reading agrees with ASM's on real class files, and refuses malformed ones. */
class ClassFilesTest {

    @Test
    void superNameAndIntConstantsAgreeWithAsm() throws Exception {
        List<Class<?>> classes = List.of(zc.corpus.Loops.class, zc.corpus.Helpers.class, String.class,
                java.io.BufferedInputStream.class, java.util.concurrent.ConcurrentHashMap.class, Object.class,
                Runnable.class, RewriteCacheTest.WithConstant.class, ClassReader.class);
        for (Class<?> c : classes) {
            byte[] b = c.getModule().isNamed() && c.getClassLoader() == null
                    ? c.getModule().getResourceAsStream(c.getName().replace('.', '/') + ".class").readAllBytes()
                    : RewriteCacheTest.bytes(c);
            ClassReader asm = new ClassReader(b);
            assertEquals(asm.getSuperName(), ClassFiles.superName(b), c.getName());
            assertEquals(asm.getItemCount(), ClassFiles.poolCount(b), c.getName());
            List<ClassFiles.IntConstant> expected = new ArrayList<>();
            for (int i = 1; i < asm.getItemCount(); i++) {
                int offset = asm.getItem(i);
                if (offset > 0 && b[offset - 1] == 3) {
                    expected.add(new ClassFiles.IntConstant(i, offset, asm.readInt(offset)));
                }
            }
            assertEquals(expected, ClassFiles.intConstants(b), c.getName());
        }
    }

    @Test
    void malformedClassFilesAreRefused() throws Exception {
        byte[] b = RewriteCacheTest.bytes(zc.corpus.Loops.class);
        assertThrows(IllegalArgumentException.class, () -> ClassFiles.superName(new byte[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> ClassFiles.superName(java.util.Arrays.copyOf(b, 40)));
        byte[] badTag = b.clone();
        badTag[10] = 99;
        assertThrows(IllegalArgumentException.class, () -> ClassFiles.intConstants(badTag));
    }
}
