package zc.agent.build;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step (agent/pom.xml, package, after the shade plugin; not shipped in the agent jar): gives the relocated ASM
 * classes in {@code zc-agent.jar} stack map frames and class file version 52.
 *
 * <p>Why: ASM's jars are compiled for Java 5 (class file version 49), which HotSpot checks with its old type-inference
 * verifier; version 50+ classes with frames get the type-checking verifier (JVMS 4.10.1), several times faster. The
 * agent loads some 60 ASM classes through the system class loader for the first class with a copy loop, and their
 * verification was ~9 ms of that class's ~30 ms at start-up (JDK 17, measured with and without
 * {@code -XX:-BytecodeVerificationRemote}). The code is ASM's own, byte for byte apart from the frames, the
 * recomputed max stack/locals and the version.
 *
 * <p>Usage: {@code ShadedAsmFrames JAR}; the jar is rewritten in place (through a temporary file).
 */
public final class ShadedAsmFrames {
    private static final String PREFIX = "zc/agent/shaded/asm/";

    private ShadedAsmFrames() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path tmp = jar.resolveSibling(jar.getFileName() + ".frames.tmp");
        int upgraded = 0;
        int asm = 0;
        try (URLClassLoader types = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
             ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().startsWith(PREFIX) && e.getName().endsWith(".class")) {
                    asm++;
                    if (version(bytes) < 50) { // else upgraded by an earlier build of the same jar
                        bytes = withFrames(bytes, types);
                        upgraded++;
                    }
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (asm == 0) {
            Files.delete(tmp);
            throw new IOException("no ASM class under " + PREFIX + " in " + jar
                    + ": the relocation changed; check ShadedAsmFrames and the shade plugin's configuration");
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ShadedAsmFrames: " + upgraded + " classes in " + jar.getFileName()
                + " now have stack map frames (class file version 52)");
    }

    private static int version(byte[] classFile) {
        return (classFile[6] & 0xff) << 8 | (classFile[7] & 0xff);
    }

    private static byte[] withFrames(byte[] classFile, ClassLoader types) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return types; // frames merge types by their superclasses: ASM's own, read from this jar
            }
        };
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, 0);
        return writer.toByteArray();
    }
}
