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
    // What a wanted UTF-8 constant stands for, as bits: the loop shape needs all of LOOP, a helper call both of HELPER.
    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final int READ_DESC = 4;
    private static final int WRITE_DESC = 8;
    private static final int HELPER_NAME = 16;
    private static final int HELPER_DESC = 32;
    private static final int LOOP = READ | WRITE | READ_DESC | WRITE_DESC;
    private static final int HELPER = HELPER_NAME | HELPER_DESC;
    /** WANTED[n]: the wanted UTF-8 constants of length n, as bytes, or null; BITS[n][k]: what WANTED[n][k] means. */
    private static final byte[][][] WANTED;
    private static final int[][] BITS;
    /**
     * SIZE[tag]: the bytes of a constant-pool entry of that tag, its tag byte included (JVMS 4.4); 0 for UTF-8
     * (length-prefixed) and for tags this scan does not know. A table, not a switch: the loop has one branch per
     * entry kind fewer for the JIT to profile, and a class with a rare tag (MethodHandle, Dynamic) does not send a
     * compiled scan back to the interpreter; the scan runs for every class the application loads.
     */
    private static final byte[] SIZE = new byte[21];

    static {
        java.util.Map<String, Integer> wanted = new java.util.LinkedHashMap<>();
        wanted.put("read", READ);
        wanted.put("write", WRITE);
        wanted.put("([B)I", READ_DESC);
        wanted.put("([BII)I", READ_DESC);
        wanted.put("([BII)V", WRITE_DESC);
        for (String name : new String[] {"transferTo", "copy", "copyLarge"}) {
            wanted.put(name, HELPER_NAME);
        }
        for (String desc : Helper.descriptors()) {
            wanted.put(desc, wanted.getOrDefault(desc, 0) | HELPER_DESC);
        }
        int max = 0;
        for (String w : wanted.keySet()) {
            max = Math.max(max, w.length());
        }
        WANTED = new byte[max + 1][][];
        BITS = new int[max + 1][];
        for (java.util.Map.Entry<String, Integer> e : wanted.entrySet()) { // no lambda: this runs at start-up
            int n = e.getKey().length();
            int k = WANTED[n] == null ? 0 : WANTED[n].length;
            WANTED[n] = WANTED[n] == null ? new byte[1][] : java.util.Arrays.copyOf(WANTED[n], k + 1);
            BITS[n] = BITS[n] == null ? new int[1] : java.util.Arrays.copyOf(BITS[n], k + 1);
            WANTED[n][k] = e.getKey().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            BITS[n][k] = e.getValue();
        }
        for (int tag : new int[] {3, 4, 9, 10, 11, 12, 17, 18}) {
            SIZE[tag] = 5;
        }
        SIZE[5] = 9; // long, double: two entries
        SIZE[6] = 9;
        for (int tag : new int[] {7, 8, 16, 19, 20}) {
            SIZE[tag] = 3;
        }
        SIZE[15] = 4;
    }

    /** The internal-name prefixes of the classes never transformed: zc's own and the JDK's. */
    private static final String[] SKIPPED = {"zc/agent/", "java/", "javax/", "jdk/", "sun/", "com/sun/"};

    private ConstantPoolScan() {
    }

    /** Classes never transformed: zc's own and the JDK's (their copies are the JDK's business). */
    public static boolean skipped(String name) {
        for (String prefix : SKIPPED) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * This scan's tables, for the class-load hook in C that runs the same scan (zc.agent.boot.NativeHook): each
     * wanted UTF-8 constant with its bits, the bits a loop needs and those a helper call needs, the skipped prefixes.
     */
    public record Tables(byte[][] wanted, int[] bits, int loop, int helper, String[] skipped) {
    }

    public static Tables tables() {
        java.util.List<byte[]> wanted = new java.util.ArrayList<>();
        java.util.List<Integer> bits = new java.util.ArrayList<>();
        for (int n = 0; n < WANTED.length; n++) {
            for (int k = 0; WANTED[n] != null && k < WANTED[n].length; k++) {
                wanted.add(WANTED[n][k].clone());
                bits.add(BITS[n][k]);
            }
        }
        int[] b = new int[bits.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = bits.get(i);
        }
        return new Tables(wanted.toArray(new byte[0][]), b, LOOP, HELPER, SKIPPED.clone());
    }

    /**
     * The checks on a class's name and loader that come before the scan and any parsing: not zc's or the JDK's, not
     * another agent's code ({@link OtherAgentCode}), and within include and exclude. Loads no bytecode library: the
     * start-up transformer runs it before it asks the rewrite cache.
     */
    public static boolean applies(ClassLoader loader, String name, zc.agent.AgentOptions options) {
        return name != null && loader != null && !skipped(name) && !OtherAgentCode.definedBy(loader)
                && options.coversInternalName(name);
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
        int count = ClassFiles.u2(b, 8);
        int pos = 10;
        int found = 0;
        for (int i = 1; i < count; i++) {
            int tag = b[pos];
            if (tag == 1) {
                int len = ClassFiles.u2(b, pos + 1);
                pos += 3;
                if (len < WANTED.length && WANTED[len] != null) {
                    found |= match(b, pos, WANTED[len], BITS[len]);
                    if ((found & LOOP) == LOOP || (found & HELPER) == HELPER) {
                        return true;
                    }
                }
                pos += len;
            } else {
                int size = tag > 0 && tag < SIZE.length ? SIZE[tag] : 0;
                if (size == 0) {
                    return true; // a tag this scan does not know: let the full parser decide
                }
                pos += size;
                if (size == 9) {
                    i++;
                }
            }
        }
        return false;
    }

    /** The bits of the wanted constant that the {@code len} bytes at {@code start} are, or 0. */
    private static int match(byte[] b, int start, byte[][] wanted, int[] bits) {
        for (int k = 0; k < wanted.length; k++) {
            byte[] w = wanted[k];
            int j = 0;
            while (j < w.length && b[start + j] == w[j]) {
                j++;
            }
            if (j == w.length) {
                return bits[k];
            }
        }
        return 0;
    }
}
