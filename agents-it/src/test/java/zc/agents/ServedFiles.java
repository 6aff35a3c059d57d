package zc.agents;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** The files the apps serve: random bytes, every MiB different, so a chunk sent twice or out of order shows. */
final class ServedFiles {
    /** Both above zc's default minBytes (64 KiB), so zc sends each by sendfile when it rewrites the loop. */
    static final Map<String, Integer> SIZES = sizes();

    private ServedFiles() {
    }

    private static Map<String, Integer> sizes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("one.bin", (1 << 20) + 7);
        m.put("big.bin", 24 << 20);
        return m;
    }

    static long total() {
        return SIZES.values().stream().mapToLong(Integer::longValue).sum();
    }

    static Path write(Path dir) throws IOException {
        Path root = Files.createDirectories(dir);
        Random random = new Random(16);
        byte[] block = new byte[1 << 20];
        for (Map.Entry<String, Integer> f : SIZES.entrySet()) {
            try (OutputStream out = Files.newOutputStream(root.resolve(f.getKey()))) {
                for (int left = f.getValue(); left > 0; left -= block.length) {
                    random.nextBytes(block);
                    out.write(block, 0, Math.min(left, block.length));
                }
            }
        }
        return root;
    }
}
