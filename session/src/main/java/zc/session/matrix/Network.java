package zc.session.matrix;

/**
 * Where the bytes travel. Loopback always has scatter-gather; a veth pair into a network namespace can switch it
 * off (needs root). On veth the servers run inside the namespace, so the interface that sends is the namespace's end.
 */
public enum Network {
    LOOPBACK("loopback", null),
    VETH_SG_ON("veth-sg-on", true),
    VETH_SG_OFF("veth-sg-off", false);

    private final String label;
    private final Boolean scatterGather;

    Network(String label, Boolean scatterGather) {
        this.label = label;
        this.scatterGather = scatterGather;
    }

    public String label() {
        return label;
    }

    public boolean veth() {
        return scatterGather != null;
    }

    /** The sending interface's scatter-gather on veth; null on loopback. */
    public Boolean scatterGather() {
        return scatterGather;
    }

    /** Why the veth networks cannot be used here, or null. */
    public static String vethUnavailable() {
        return Veth.unavailable();
    }

    public static Network of(String label) {
        for (Network n : values()) {
            if (n.label.equalsIgnoreCase(label)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown network " + label + " (one of loopback, veth-sg-on, veth-sg-off)");
    }
}
