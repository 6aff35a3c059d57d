package zc.agent.match;

/**
 * Decides from a class file's constant pool alone whether it can hold a copy loop or a copy-helper call: it must
 * name a method {@code read} with descriptor {@code ([B)I} or {@code ([BII)I} and a method {@code write} with
 * {@code ([BII)V}, or a {@code transferTo}/{@code copy}/{@code copyLarge} with a helper's descriptor.
 * Most classes fail this in microseconds and are never parsed further. It runs for every class the application
 * loads, first in the interpreter: a UTF-8 entry whose length matches none of the wanted strings (most of them:
 * class names, signatures) is skipped on one table look-up, and the scan stops as soon as the answer is yes.
 */
public final class ConstantPoolScan {
    private static final String[] HELPER_DESCS = Helper.descriptors();
    private static final String[] WANTED = wanted();
    /** WANTED_BY_LENGTH[n]: the wanted strings of length n, or null. */
    private static final String[][] WANTED_BY_LENGTH = byLength(WANTED);

    private ConstantPoolScan() {
    }

    /** Classes never transformed: zc's own and the JDK's (their copies are the JDK's business). */
    public static boolean skipped(String name) {
        return name.startsWith("zc/agent/") || name.startsWith("java/") || name.startsWith("javax/")
                || name.startsWith("jdk/") || name.startsWith("sun/") || name.startsWith("com/sun/");
    }

    /**
     * The checks on a class's name and loader that come before the scan and any parsing: not zc's or the JDK's, not
     * another agent's code ({@link OtherAgentCode}), and within include and exclude. Loads no bytecode library: the
     * start-up transformer runs it before it asks the rewrite cache.
     */
    public static boolean applies(ClassLoader loader, String name, zc.agent.AgentOptions options) {
        return name != null && loader != null && !skipped(name) && !OtherAgentCode.definedBy(loader)
                && options.covers(name.replace('/', '.'));
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
                    String[] sameLength = len < WANTED_BY_LENGTH.length ? WANTED_BY_LENGTH[len] : null;
                    if (sameLength != null) {
                        for (String w : sameLength) {
                            if (is(b, start, len, w)) {
                                read |= w.equals("read");
                                write |= w.equals("write");
                                readDesc |= w.equals("([B)I") || w.equals("([BII)I");
                                writeDesc |= w.equals("([BII)V");
                                helperName |= w.equals("transferTo") || w.equals("copy") || w.equals("copyLarge");
                                helperDesc |= w.startsWith("(L");
                                if (read && write && readDesc && writeDesc || helperName && helperDesc) {
                                    return true;
                                }
                                break;
                            }
                        }
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
        return false;
    }

    private static String[] wanted() {
        java.util.List<String> w = new java.util.ArrayList<>(java.util.List.of("read", "write", "([B)I", "([BII)I",
                "([BII)V", "transferTo", "copy", "copyLarge"));
        w.addAll(java.util.List.of(HELPER_DESCS));
        return w.toArray(new String[0]);
    }

    private static String[][] byLength(String[] wanted) {
        int max = 0;
        for (String w : wanted) {
            max = Math.max(max, w.length());
        }
        String[][] table = new String[max + 1][];
        for (String w : wanted) {
            String[] old = table[w.length()];
            String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = w;
            table[w.length()] = grown;
        }
        return table;
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
