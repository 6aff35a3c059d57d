package zc.agent.match;

import java.util.ArrayList;
import java.util.List;

/**
 * What zc reads from a class file without a bytecode library (JVMS 4.1, 4.4): the superclass's name, and where the
 * {@code CONSTANT_Integer} entries of the constant pool are. Used on paths that must not load ASM: the type questions
 * of {@link StreamTypePool} and the rewrite cache's renumbering. Every method throws
 * {@link IllegalArgumentException} on a malformed or truncated class file.
 */
public final class ClassFiles {
    /**
     * A {@code CONSTANT_Integer} entry.
     *
     * @param index  its index in the constant pool
     * @param offset where its 4-byte value starts in the class file
     * @param value  the value
     */
    public record IntConstant(int index, int offset, int value) {
    }

    private ClassFiles() {
    }

    /** The number of constant pool slots plus one ({@code constant_pool_count}). */
    public static int poolCount(byte[] b) {
        check(b);
        return u2(b, 8);
    }

    /** Every {@code CONSTANT_Integer} of the pool, in index order. */
    public static List<IntConstant> intConstants(byte[] b) {
        List<IntConstant> found = new ArrayList<>();
        walk(b, found, null);
        return found;
    }

    /** The superclass's internal name, or null for {@code java/lang/Object} (and module-info). */
    public static String superName(byte[] b) {
        int[] offsets = new int[poolCount(b)];
        int end = walk(b, null, offsets);
        int superIndex = u2(b, end + 4);
        if (superIndex == 0) {
            return null;
        }
        int classEntry = offsets[superIndex];
        if (classEntry == 0 || b[classEntry] != 7) {
            throw new IllegalArgumentException("super_class is not a CONSTANT_Class");
        }
        int utf = offsets[u2(b, classEntry + 1)];
        if (utf == 0 || b[utf] != 1) {
            throw new IllegalArgumentException("a CONSTANT_Class names no CONSTANT_Utf8");
        }
        int len = u2(b, utf + 1);
        char[] name = new char[len];
        for (int i = 0; i < len; i++) {
            int c = b[utf + 3 + i];
            if (c < 0) {
                return modifiedUtf8(b, utf + 3, len); // a non-ASCII class name: the rare, slower way
            }
            name[i] = (char) c;
        }
        return new String(name);
    }

    /** Walks the pool; returns the offset just after it (access_flags). */
    private static int walk(byte[] b, List<IntConstant> ints, int[] offsets) {
        int count = poolCount(b);
        int pos = 10;
        for (int i = 1; i < count; i++) {
            if (offsets != null) {
                offsets[i] = pos;
            }
            int tag = b[pos] & 0xff;
            switch (tag) {
                case 1 -> pos += 3 + u2(b, pos + 1);
                case 3 -> {
                    if (ints != null) {
                        ints.add(new IntConstant(i, pos + 1, u4(b, pos + 1)));
                    }
                    pos += 5;
                }
                case 4, 9, 10, 11, 12, 17, 18 -> pos += 5;
                case 5, 6 -> {
                    pos += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> pos += 3;
                case 15 -> pos += 4;
                default -> throw new IllegalArgumentException("constant pool tag " + tag + " at " + pos);
            }
            if (pos > b.length) {
                throw new IllegalArgumentException("truncated constant pool");
            }
        }
        if (pos + 6 > b.length) {
            throw new IllegalArgumentException("truncated after the constant pool");
        }
        return pos;
    }

    private static String modifiedUtf8(byte[] b, int start, int len) {
        try {
            byte[] withLength = new byte[len + 2];
            withLength[0] = (byte) (len >> 8);
            withLength[1] = (byte) len;
            System.arraycopy(b, start, withLength, 2, len);
            return new java.io.DataInputStream(new java.io.ByteArrayInputStream(withLength)).readUTF();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a malformed class name", e);
        }
    }

    private static void check(byte[] b) {
        if (b.length < 10 || (b[0] & 0xff) != 0xca || (b[1] & 0xff) != 0xfe || (b[2] & 0xff) != 0xba
                || (b[3] & 0xff) != 0xbe) {
            throw new IllegalArgumentException("not a class file");
        }
    }

    /** The big-endian 2 bytes at {@code pos} (a class file's u2); IllegalArgumentException past the end. */
    static int u2(byte[] b, int pos) {
        if (pos + 2 > b.length) {
            throw new IllegalArgumentException("truncated class file");
        }
        return (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
    }

    /** The big-endian 4 bytes at {@code pos} (a class file's u4). */
    public static int u4(byte[] b, int pos) {
        return u2(b, pos) << 16 | u2(b, pos + 2);
    }
}
