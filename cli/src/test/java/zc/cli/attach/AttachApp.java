package zc.cli.attach;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An application that is already running when zc attaches: it copies a file once, says READY, waits for a line on
 * stdin, copies again and prints the write syscalls of each copy.
 */
public final class AttachApp {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("attach-source.bin");
        Files.write(src, new byte[8 << 20]);
        System.out.println("first syscw=" + copyMeasured(src, dir.resolve("first.bin")));
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        System.out.println("second syscw=" + copyMeasured(src, dir.resolve("second.bin")));
        System.out.println("same=" + java.util.Arrays.equals(Files.readAllBytes(src),
                Files.readAllBytes(dir.resolve("second.bin"))));
    }

    private static long copyMeasured(Path src, Path dst) throws Exception {
        long before = syscw();
        try (InputStream in = new FileInputStream(src.toFile()); OutputStream out = new FileOutputStream(dst.toFile())) {
            Copier.copy(in, out);
        }
        return syscw() - before;
    }

    private static long syscw() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/io")).stream().filter(l -> l.startsWith("syscw:"))
                .mapToLong(l -> Long.parseLong(l.substring(6).trim())).findFirst().orElse(-1);
    }

    /** Loaded (and run) before the agent arrives. */
    static final class Copier {
        static long copy(InputStream in, OutputStream out) throws IOException {
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
                total += n;
            }
            return total;
        }
    }
}
