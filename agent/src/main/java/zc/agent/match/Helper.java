package zc.agent.match;

/**
 * The copy helpers whose calls the agent redirects to the dispatcher: each with the method it names, how its
 * result is computed from the bytes copied, and whether it takes a Path. The rewritten call keeps the original as a
 * method handle, which the dispatcher calls whenever it cannot go zero-copy, and for the tail of every copy (and,
 * for the receive side, always: with the socket's stream replaced).
 */
public enum Helper {
    /** InputStream.transferTo (JDK 9+) on any InputStream type: virtual, so overrides still apply. */
    TRANSFER_TO(null, "transferTo", "(Ljava/io/OutputStream;)J", "in.transferTo(out)"),
    FILES_COPY("java/nio/file/Files", "copy", "(Ljava/nio/file/Path;Ljava/io/OutputStream;)J",
            "Files.copy(path, out)"),
    COMMONS_COPY("org/apache/commons/io/IOUtils", "copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)I",
            "IOUtils.copy(in, out)"),
    COMMONS_COPY_LARGE("org/apache/commons/io/IOUtils", "copyLarge",
            "(Ljava/io/InputStream;Ljava/io/OutputStream;)J", "IOUtils.copyLarge(in, out)"),
    GUAVA_COPY("com/google/common/io/ByteStreams", "copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;)J",
            "ByteStreams.copy(in, out)"),
    SPRING_STREAM_COPY("org/springframework/util/StreamUtils", "copy",
            "(Ljava/io/InputStream;Ljava/io/OutputStream;)I", "StreamUtils.copy(in, out)"),
    SPRING_FILE_COPY("org/springframework/util/FileCopyUtils", "copy",
            "(Ljava/io/InputStream;Ljava/io/OutputStream;)I", "FileCopyUtils.copy(in, out)"),
    /** The receive side: a socket's stream into a new file. Its dispatcher is ZcHelpers.receive. */
    FILES_RECEIVE("java/nio/file/Files", "copy",
            "(Ljava/io/InputStream;Ljava/nio/file/Path;[Ljava/nio/file/CopyOption;)J", "Files.copy(in, path, options)");

    private final String owner;
    private final String name;
    private final String desc;
    private final String source;

    Helper(String owner, String name, String desc, String source) {
        this.owner = owner;
        this.name = name;
        this.desc = desc;
        this.source = source;
    }

    /**
     * The JVM's opcodes (JVMS 6.5), written out: this class is a runtime class, packed into the agent jar before
     * the build relocates ASM, so it must not name ASM's {@code Opcodes} (javac keeps a class constant for it).
     */
    private static final int INVOKEVIRTUAL = 0xb6;
    private static final int INVOKESTATIC = 0xb8;

    /** The helper a call instruction names, or null. {@code owner} null matches any (stream) owner. */
    public static Helper of(int opcode, String owner, String name, String desc) {
        for (Helper h : values()) {
            boolean ownerMatches = h.owner == null ? opcode == INVOKEVIRTUAL
                    : opcode == INVOKESTATIC && h.owner.equals(owner);
            if (ownerMatches && h.name.equals(name) && h.desc.equals(desc)) {
                return h;
            }
        }
        return null;
    }

    /** Every helper's descriptor, for the constant-pool pre-check. */
    public static String[] descriptors() {
        java.util.Set<String> descs = new java.util.LinkedHashSet<>();
        for (Helper h : values()) {
            descs.add(h.desc);
        }
        return descs.toArray(new String[0]);
    }

    /** The dispatcher method a call of this helper becomes: its name and descriptor in ZcHelpers. */
    public String dispatcher() {
        return this == FILES_RECEIVE ? "receive" : "copy";
    }

    public String dispatcherDesc() {
        String handleAndCode = "Ljava/lang/invoke/MethodHandle;I)J";
        return this == FILES_RECEIVE ? desc.substring(0, desc.indexOf(')')) + handleAndCode
                : "(Ljava/lang/Object;Ljava/io/OutputStream;" + handleAndCode;
    }

    public boolean virtual() {
        return owner == null;
    }

    public boolean returnsInt() {
        return desc.endsWith(")I");
    }

    public String source() {
        return source;
    }

    /** The helper's own result for {@code total} bytes copied. */
    public long result(long total) {
        return switch (this) {
            case COMMONS_COPY -> total > Integer.MAX_VALUE ? -1 : total; // IOUtils.copy's documented -1
            case SPRING_STREAM_COPY, SPRING_FILE_COPY -> (int) total; // an int count that wraps
            default -> total;
        };
    }

    /** How far the site id is shifted in the packed code (the rewrite cache renumbers it). */
    public static final int SHIFT = 4;

    public int pack(int siteId) {
        return siteId << SHIFT | ordinal();
    }

    public static Helper unpack(int code) {
        return values()[code & 15];
    }
}
