package zc.session.soak;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The files the soak serves. Every byte is a function of its file and offset ({@link #at}), so any body received,
 * whole or cut short, is checked byte for byte even for files that change while they are served: appended to
 * ({@code growing.log}), or cut to a random length and written back ({@code cut-N.bin}). A byte the file never held
 * at that offset (the zeros of a truncated page, a stale page, a shifted block) is a corrupt download.
 */
final class SoakFiles {
    /** The pattern's period: not a power of two, so a block from another offset does not match by chance. */
    private static final int PERIOD = (1 << 20) + 7;
    static final String GROWING = "growing.log";
    static final int CUT_FILES = 2;
    private static final long[] STABLE_SIZES = {4 << 10, 60 << 10, 64 << 10, 100 << 10, 1 << 20, (1 << 20) + 1,
        4 << 20, 16 << 20};

    private final Path root;
    private final byte[] pattern = new byte[PERIOD];
    private final List<String> stable = new ArrayList<>();

    SoakFiles(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        new Random(14).nextBytes(pattern);
        for (int i = 0; i < STABLE_SIZES.length; i++) {
            String name = "stable-" + i + ".bin";
            write(name, 0, STABLE_SIZES[i], false);
            stable.add(name);
        }
        write(GROWING, 0, 256 << 10, false);
        for (int i = 0; i < CUT_FILES; i++) {
            write(cut(i), 0, 8 << 20, false);
        }
    }

    static String cut(int i) {
        return "cut-" + i + ".bin";
    }

    Path root() {
        return root;
    }

    List<String> stable() {
        return stable;
    }

    /** Every name served, the stable files first. */
    List<String> all() {
        List<String> all = new ArrayList<>(stable);
        all.add(GROWING);
        for (int i = 0; i < CUT_FILES; i++) {
            all.add(cut(i));
        }
        return all;
    }

    /** The byte every file holds at {@code offset}, different per file. */
    byte at(String name, long offset) {
        return (byte) (pattern[(int) ((offset + name.hashCode() * 4099L & Long.MAX_VALUE) % PERIOD)]);
    }

    /** The offset of the first byte of {@code body} that the file never held there, or -1. */
    long firstWrongByte(String name, byte[] body, int length) {
        for (int i = 0; i < length; i++) {
            if (body[i] != at(name, i)) {
                return i;
            }
        }
        return -1;
    }

    /** Appends {@code bytes} to the growing file. */
    void append(long bytes) throws IOException {
        long size = Files.size(root.resolve(GROWING));
        write(GROWING, size, bytes, true);
    }

    /** Cuts a file to {@code length} and writes the rest back, as a writer that rewrites a file in place does. */
    void cutAndRestore(String name, long length) throws IOException {
        Path file = root.resolve(name);
        long size = Files.size(file);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
        write(name, length, size - length, true);
    }

    private void write(String name, long from, long bytes, boolean append) throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = append ? Files.newOutputStream(root.resolve(name), java.nio.file.StandardOpenOption.APPEND)
                : Files.newOutputStream(root.resolve(name))) {
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(chunk.length, bytes - done);
                for (int i = 0; i < n; i++) {
                    chunk[i] = at(name, from + done + i);
                }
                out.write(chunk, 0, n);
                done += n;
            }
        }
    }
}
