package zc.agent.cache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import zc.agent.match.StreamTypePool;
import zc.agent.stats.CallSite;

/**
 * One class's rewrite as kept on disk: the class file it was made from (compared byte for byte, so a hit can never
 * be another class's), the result, the call sites with where each one's code sits in the result, and the type
 * answers it relied on. The file ends with a CRC-32 of everything before it (java.util.zip.CRC32, native even in the
 * interpreter, where this runs at start-up); a file that fails it, or any other
 * check, is a miss.
 *
 * @param key      the agent build, mode and JDK the rewrite was made with ({@link RewriteCache})
 * @param name     the class's internal name
 * @param original the class file as loaded
 * @param output   the rewritten class file, or null where the class is left as it was
 * @param sites    the call sites, in the order they were registered
 * @param answers  the type questions answered from other class files, which must still hold
 */
record CacheEntry(String key, String name, byte[] original, byte[] output, List<Site> sites,
                  List<StreamTypePool.Answer> answers) {
    private static final int MAGIC = 0x5a435231; // "ZCR1"

    /**
     * A call site of the entry.
     *
     * @param site   as registered
     * @param code   the constant the rewritten code passes to the dispatcher ({@code id << shift | flags}), or -1
     * @param shift  how far the id is shifted in {@code code}
     * @param offset where the 4 bytes of {@code code}'s {@code CONSTANT_Integer} are in {@code output}
     */
    record Site(CallSite site, int code, int shift, int offset) {
    }

    byte[] write() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(original.length * 2 + 256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        out.writeUTF(key);
        out.writeUTF(name);
        out.writeInt(original.length);
        out.write(original);
        out.writeInt(output == null ? -1 : output.length);
        if (output != null) {
            out.write(output);
        }
        out.writeInt(sites.size());
        for (Site s : sites) {
            CallSite c = s.site();
            out.writeUTF(c.className());
            out.writeUTF(c.method());
            out.writeInt(c.line());
            out.writeUTF(c.shape());
            out.writeByte(c.status().ordinal());
            out.writeBoolean(c.reason() != null);
            out.writeUTF(c.reason() == null ? "" : c.reason());
            out.writeInt(s.code());
            out.writeInt(s.shift());
            out.writeInt(s.offset());
        }
        out.writeInt(answers.size());
        for (StreamTypePool.Answer a : answers) {
            out.writeUTF(a.type());
            out.writeBoolean(a.output());
            out.writeBoolean(a.answer());
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeInt((int) crc.getValue());
        out.flush();
        return bytes.toByteArray();
    }

    /** The entry in {@code file}, or null where it is damaged or not one. */
    static CacheEntry read(byte[] file) {
        if (file.length < 8) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(file, 0, file.length - 4);
        if ((int) crc.getValue() != zc.agent.match.ClassFiles.u4(file, file.length - 4)) {
            return null;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, 0, file.length - 4));
            if (in.readInt() != MAGIC) {
                return null;
            }
            String key = in.readUTF();
            String name = in.readUTF();
            byte[] original = bytes(in, in.readInt(), file.length);
            int outLength = in.readInt();
            byte[] output = outLength == -1 ? null : bytes(in, outLength, file.length);
            int n = in.readInt();
            if (n < 0 || n > file.length) {
                return null;
            }
            List<Site> sites = new ArrayList<>(n);
            CallSite.Status[] statuses = CallSite.Status.values();
            for (int i = 0; i < n; i++) {
                String className = in.readUTF();
                String method = in.readUTF();
                int line = in.readInt();
                String shape = in.readUTF();
                int status = in.readUnsignedByte();
                boolean hasReason = in.readBoolean();
                String reason = in.readUTF();
                if (status >= statuses.length) {
                    return null;
                }
                sites.add(new Site(new CallSite(className, method, line, shape, statuses[status],
                        hasReason ? reason : null), in.readInt(), in.readInt(), in.readInt()));
            }
            int a = in.readInt();
            if (a < 0 || a > file.length) {
                return null;
            }
            List<StreamTypePool.Answer> answers = new ArrayList<>(a);
            for (int i = 0; i < a; i++) {
                answers.add(new StreamTypePool.Answer(in.readUTF(), in.readBoolean(), in.readBoolean()));
            }
            return in.available() == 0 ? new CacheEntry(key, name, original, output, sites, answers) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] bytes(DataInputStream in, int length, int limit) throws IOException {
        if (length < 0 || length > limit) {
            throw new IOException("bad length " + length);
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
