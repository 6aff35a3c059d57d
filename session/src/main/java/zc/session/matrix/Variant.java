package zc.session.matrix;

/**
 * One way the static-file server sends a body: its unmodified read-write loop, that loop rewritten by zc-agent, or a
 * hand-written zero-copy body ({@code StaticFileServer --body}).
 */
public enum Variant {
    ORIGINAL("original", "read-write", null),
    AGENT_SENDFILE("zc-sendfile", "read-write", "strategy=sendfile"),
    AGENT_MMAP("zc-mmap", "read-write", "strategy=mmap"),
    TRANSFER_TO("transferTo", "transfer-to", null),
    MMAP_WRITE("mmap-write", "mmap-write", null),
    SPLICE("splice", "splice", null);

    private final String label;
    private final String body;
    private final String agentOptions;

    Variant(String label, String body, String agentOptions) {
        this.label = label;
        this.body = body;
        this.agentOptions = agentOptions;
    }

    public String label() {
        return label;
    }

    /** The server's {@code --body}. */
    public String body() {
        return body;
    }

    /** zc-agent's options, or null when the variant runs without the agent. */
    public String agentOptions() {
        return agentOptions;
    }

    public boolean rewritten() {
        return agentOptions != null;
    }

    public static Variant of(String label) {
        for (Variant v : values()) {
            if (v.label.equalsIgnoreCase(label)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant " + label + " (one of original, zc-sendfile, zc-mmap, "
                + "transferTo, mmap-write, splice)");
    }
}
