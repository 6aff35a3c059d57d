package zc.session.containers;

/**
 * What a container bench run measures: the application's loop without and with zc, the container's own zero-copy
 * path, and (where the container has one) mapped windows of the file given to its stream's write(ByteBuffer).
 */
public enum ContainerVariant {
    ORIGINAL("original"), ZC("zc"), OWN("own"), MAPPED("mapped-write");

    private final String label;

    ContainerVariant(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
