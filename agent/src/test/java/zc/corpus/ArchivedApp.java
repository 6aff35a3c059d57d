package zc.corpus;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An application with its own class-data archive (ClassDataSharingIT): its main class and {@link Greeting} hold no
 * copy loop, so they stay as they are and should come from the archive; the copy goes through {@link AgentApp}'s
 * loop, which zc rewrites (a rewritten class is defined from its new bytes, never from an archive).
 */
public final class ArchivedApp {
    private ArchivedApp() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("archived-source.bin");
        if (!Files.exists(src)) {
            byte[] b = new byte[1 << 20];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (i * 31 + 7);
            }
            Files.write(src, b);
        }
        Path dst = dir.resolve("archived-target.bin");
        System.out.println(Greeting.text() + " copied=" + copy(src, dst)
                + " same=" + (Files.mismatch(src, dst) == -1));
    }

    private static long copy(Path from, Path to) throws java.io.IOException {
        try (InputStream in = new FileInputStream(from.toFile());
             OutputStream out = new FileOutputStream(to.toFile())) {
            return AgentApp.copy(in, out);
        }
    }

    /** No copy loop: never transformed. */
    public static final class Greeting {
        private Greeting() {
        }

        static String text() {
            return "archived app";
        }
    }
}
