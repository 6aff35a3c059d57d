package zc.agent.rt;

import java.lang.reflect.Method;

/**
 * Loads zc's own JNI library (the class-load hook, zc.agent.boot.NativeHook) on JDK 24+, where {@code System.load}
 * from a class-path class prints JEP 472's "restricted method" warning on the application's stderr. This class is in
 * the bootstrap loader, and the agent opens java.lang to zc's module there alone before calling it; the library is
 * bound to the loader of {@code from}, as {@code System.load} called from {@code from} would bind it. The agent jar
 * named by {@code -javaagent} is the user's consent to native code; {@code --illegal-native-access=deny} is
 * respected by the caller, which then uses no library.
 */
public final class JniLibraries {
    private JniLibraries() {
    }

    /**
     * {@code Runtime.load0(from, path)}: what {@code System.load(path)} does after its native-access check. Throws
     * what that throws (UnsatisfiedLinkError), and ReflectiveOperationException where this JDK has no such method.
     */
    public static void load(Class<?> from, String path) throws ReflectiveOperationException {
        Method load0 = Runtime.class.getDeclaredMethod("load0", Class.class, String.class);
        load0.setAccessible(true);
        try {
            load0.invoke(Runtime.getRuntime(), from, path);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
