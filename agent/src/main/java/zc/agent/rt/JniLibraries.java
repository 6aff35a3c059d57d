package zc.agent.rt;

import java.io.File;

/**
 * Loads zc's own JNI library (the class-load hook, zc.agent.boot.NativeHook) on JDK 24+, where {@code System.load}
 * from a class-path class prints JEP 472's "restricted method" warning on the application's stderr: through the
 * bootstrap loader's {@code jdk.internal.loader.NativeLibraries}, what {@code System.load} from a JDK class does,
 * with jdk.internal.loader exported to zc's bootstrap-loader module alone (NativeHook does that first). The agent jar
 * named on the command line is the user's consent to native code; {@code --illegal-native-access=deny} is respected
 * by the caller, which then loads nothing.
 *
 * <p>Once per JVM, in premain: a second call, from anyone, fails; no other library can be loaded this way.
 */
public final class JniLibraries {
    /** The class whose static fields the library's JNI_OnLoad reads (NativeHook); read from C, and on every JDK. */
    private static Class<?> owner;
    private static boolean used;

    private JniLibraries() {
    }

    /**
     * Records {@code owner} for the library's JNI_OnLoad; {@link #load} and {@code System.load} read it. Once.
     * Throws IllegalStateException on a second call.
     */
    public static synchronized void prepare(Class<?> owner) {
        if (used) {
            throw new IllegalStateException("zc's library is loaded once, at start-up");
        }
        used = true;
        JniLibraries.owner = owner;
    }

    /**
     * Loads the library at {@code path} (absolute) into the bootstrap loader. Only right after {@link #prepare}, and
     * once. Throws UnsatisfiedLinkError as {@code System.load} would, ReflectiveOperationException where this JDK has
     * no such internal API.
     */
    public static synchronized void load(String path) throws ReflectiveOperationException {
        if (owner == null) {
            throw new IllegalStateException("zc's library is loaded once, at start-up");
        }
        try {
            Object libraries = Class.forName("jdk.internal.loader.BootLoader").getMethod("getNativeLibraries")
                    .invoke(null);
            // fromClass: this class, of the bootstrap loader as the libraries are; JNI_OnLoad's FindClass then
            // resolves through that loader, and finds this class
            libraries.getClass().getMethod("loadLibrary", Class.class, File.class)
                    .invoke(libraries, JniLibraries.class, new File(path));
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } finally {
            owner = null;
        }
    }
}
