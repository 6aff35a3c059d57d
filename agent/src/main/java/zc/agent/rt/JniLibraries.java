package zc.agent.rt;

/**
 * What the JNI library of zc's class-load hook (zc.agent.boot.NativeHook) reads in its {@code JNI_OnLoad}: the class
 * to set itself up from. A class of the bootstrap loader, so that the library's {@code FindClass} finds it whichever
 * loader the library is bound to: NativeHook's (System.load on JDK 17-23) or the bootstrap loader (JDK 24+, through
 * BootDefiner, as {@code from}). Set once, in premain.
 */
public final class JniLibraries {
    /** Read from C. */
    private static Class<?> owner;

    private JniLibraries() {
    }

    /** Records {@code owner} for the library's JNI_OnLoad. Once: a second call throws IllegalStateException. */
    public static synchronized void prepare(Class<?> owner) {
        if (JniLibraries.owner != null) {
            throw new IllegalStateException("zc's library is loaded once, at start-up");
        }
        JniLibraries.owner = java.util.Objects.requireNonNull(owner);
    }
}
