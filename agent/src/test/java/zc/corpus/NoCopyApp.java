package zc.corpus;

/** An application with no copy loop and no file stream: zc should cost it no more than its start-up scan. */
public final class NoCopyApp {
    private NoCopyApp() {
    }

    public static void main(String[] args) {
        System.out.println("no copy here");
    }
}
