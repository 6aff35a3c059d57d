package zc.corpus;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.ClassDefinition;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies 1 MiB with its loop, has {@link RedefiningAgent} redefine this class from its original class file (args[1]
 * {@code redefine}) or retransform it ({@code retransform}), and copies again: zc's rewrite must hold for the second
 * copy too.
 */
public final class RedefinedCopyApp {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("redefined-source.bin");
        Files.write(src, new byte[1 << 20]);
        Path dst = dir.resolve("redefined-target.bin");
        long first = copy(src, dst);
        if (args[1].equals("redefine")) {
            byte[] original;
            try (InputStream in = RedefinedCopyApp.class.getResourceAsStream("RedefinedCopyApp.class")) {
                original = in.readAllBytes();
            }
            RedefiningAgent.inst.redefineClasses(new ClassDefinition(RedefinedCopyApp.class, original));
        } else {
            RedefiningAgent.inst.retransformClasses(RedefinedCopyApp.class);
        }
        long second = copy(src, dst);
        System.out.println(args[1] + " copied=" + first + "," + second);
    }

    static long copy(Path s, Path d) throws IOException {
        long total = 0;
        try (InputStream in = new FileInputStream(s.toFile()); OutputStream out = new FileOutputStream(d.toFile())) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
                total += n;
            }
        }
        return total;
    }
}
