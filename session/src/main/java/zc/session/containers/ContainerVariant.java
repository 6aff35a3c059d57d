package zc.session.containers;

/** What a container bench run measures: the application's loop without and with zc, and the container's own path. */
public enum ContainerVariant {
    ORIGINAL("original"), ZC("zc"), OWN("own");

    private final String label;

    ContainerVariant(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
