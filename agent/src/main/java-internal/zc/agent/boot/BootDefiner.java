package zc.agent.boot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's only direct use of JDK internals: {@code Unsafe.defineClass} with a null loader, the JDK's own way to
 * define a class in the bootstrap loader (JDK 11 to 25), for {@link RuntimeClasses}; for NativeHook, the JVM's saved
 * {@code --illegal-native-access} and the bootstrap loader's {@code NativeLibraries}. Each action once.
 *
 * <p>Compiled apart from the rest of the agent (agent/pom.xml, {@code --add-exports}, which {@code --release}
 * forbids) and shipped as {@code BootDefiner.bin}, not as a class of the agent jar: RuntimeClasses defines it in a
 * class loader of its own, whose unnamed module is the only one java.base exports jdk.internal.misc and
 * jdk.internal.loader to ({@code Instrumentation.redefineModule}). Exported to the agent's module, the system
 * class loader's unnamed
 * module, the package would be open to every class of the class path (a library probing for
 * {@code jdk.internal.misc.Unsafe} would find it usable). Its static initialiser hands an instance to that loader,
 * and the agent calls it through the JDK's own interfaces, so that nothing links through reflection or method
 * handles (through a method handle the one call spun five LambdaForm classes and their JIT work at every start).
 */
public final class BootDefiner implements Function<byte[], String[]>, Supplier<String>,
        java.util.function.BiConsumer<Class<?>, String> {
    private static final jdk.internal.misc.Unsafe UNSAFE = jdk.internal.misc.Unsafe.getUnsafe();
    private boolean defined;
    private boolean loaded;

    static {
        // handed to the loader that defined this class (RuntimeClasses' DefinerLoader, a Consumer): no reflection
        @SuppressWarnings("unchecked")
        java.util.function.Consumer<Object> loader =
                (java.util.function.Consumer<Object>) BootDefiner.class.getClassLoader();
        loader.accept(new BootDefiner());
    }

    /**
     * Defines every class of {@code blob} ({@link RuntimeBlobWriter}'s format: a u2 count, then per class a u2 name
     * length, the name, a u4 length and the class file; supertypes first) in the bootstrap loader, in order. Returns
     * the names of the classes whose supertype this Java run-time image lacks (NoClassDefFoundError: CopyEvent's
     * jdk.jfr.Event in an image without jdk.jfr); any other failure is thrown, naming the class.
     */
    @Override
    public synchronized String[] apply(byte[] blob) {
        if (defined) {
            throw new IllegalStateException("zc's runtime classes are defined once, at start-up");
        }
        defined = true;
        List<String> missing = new ArrayList<>();
        int count = u2(blob, 0);
        int pos = 2;
        for (int i = 0; i < count; i++) {
            int nameLength = u2(blob, pos);
            String name = new String(blob, pos + 2, nameLength, StandardCharsets.ISO_8859_1);
            pos += 2 + nameLength;
            int length = u2(blob, pos) << 16 | u2(blob, pos + 2);
            pos += 4;
            try {
                UNSAFE.defineClass(name, blob, pos, length, null, null);
            } catch (NoClassDefFoundError supertypeMissing) {
                missing.add(name);
            } catch (Throwable t) {
                throw new IllegalStateException("defining zc's runtime class " + name + " failed: " + t, t);
            }
            pos += length;
        }
        return missing.toArray(new String[0]);
    }

    /**
     * The JVM's {@code --illegal-native-access} (JDK 24+, JEP 472) as given, or null when not given: the module system
     * removes it from the system properties at start-up; the JVM's saved copy keeps it.
     */
    @Override
    public String get() {
        return jdk.internal.misc.VM.getSavedProperty("jdk.module.illegal.native.access");
    }

    /**
     * Loads the JNI library at {@code path} (absolute) into the bootstrap loader, bound to {@code from}, a class of
     * that loader: what {@code System.load} from a JDK class does, without JEP 472's check on the caller, which
     * warns for a class-path caller on JDK 24+ (NativeHook's library; docs/agent.md, "The class-load hook"). Once:
     * a second call throws IllegalStateException. Throws UnsatisfiedLinkError as {@code System.load} would.
     */
    @Override
    public synchronized void accept(Class<?> from, String path) {
        if (loaded) {
            throw new IllegalStateException("zc's library is loaded once, at start-up");
        }
        loaded = true;
        jdk.internal.loader.BootLoader.getNativeLibraries().loadLibrary(from, new java.io.File(path));
    }

    private static int u2(byte[] b, int pos) {
        return (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
    }
}
