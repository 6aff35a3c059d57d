package zc.agent.match;

/**
 * Decides from a class file's constant pool alone whether it can hold a copy loop or a copy-helper call: it must
 * name a method {@code read} with descriptor {@code ([B)I} or {@code ([BII)I} and a method {@code write} with
 * {@code ([BII)V}, or a {@code transferTo}/{@code copy}/{@code copyLarge} with a helper's descriptor.
 * Most classes fail this in microseconds and are never parsed further.
 */
public final class ConstantPoolScan {
    private static final String[] HELPER_DESCS = Helper.descriptors();

    private ConstantPoolScan() {
    }

    public static boolean mayHoldCopyLoop(byte[] classFile) {
        try {
            return scan(classFile);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    private static boolean scan(byte[] b) {
        if (b.length < 10 || (b[0] & 0xff) != 0xca || (b[1] & 0xff) != 0xfe) {
            return false;
        }
        int count = u2(b, 8);
        int pos = 10;
        boolean read = false;
        boolean write = false;
        boolean readDesc = false;
        boolean writeDesc = false;
        boolean helperName = false;
        boolean helperDesc = false;
        for (int i = 1; i < count; i++) {
            int tag = b[pos] & 0xff;
            switch (tag) {
                case 1 -> {
                    int len = u2(b, pos + 1);
                    int start = pos + 3;
                    read |= is(b, start, len, "read");
                    write |= is(b, start, len, "write");
                    readDesc |= is(b, start, len, "([B)I") || is(b, start, len, "([BII)I");
                    writeDesc |= is(b, start, len, "([BII)V");
                    helperName |= is(b, start, len, "transferTo") || is(b, start, len, "copy")
                            || is(b, start, len, "copyLarge");
                    for (int h = 0; h < HELPER_DESCS.length && !helperDesc; h++) {
                        helperDesc = is(b, start, len, HELPER_DESCS[h]);
                    }
                    pos = start + len;
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> pos += 5;
                case 5, 6 -> {
                    pos += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> pos += 3;
                case 15 -> pos += 4;
                default -> {
                    return true; // a tag this scan does not know: let the full parser decide
                }
            }
        }
        return read && write && readDesc && writeDesc || helperName && helperDesc;
    }

    private static boolean is(byte[] b, int start, int len, String ascii) {
        if (len != ascii.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[start + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u2(byte[] b, int pos) {
        return (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
    }
}
