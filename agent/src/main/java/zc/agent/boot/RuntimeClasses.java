package zc.agent.boot;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Makes the classes that rewritten code calls (the dispatcher in {@code zc.agent.rt} and what it uses: statistics,
 * the JFR event, the loop shapes) visible to every class loader without touching the boot class path: each is
 * defined in the bootstrap loader on its own, from the bytes in the agent jar.
 *
 * <p>Why not {@code Boot-Class-Path} or {@code appendToBootstrapClassLoaderSearch}: either makes HotSpot share only
 * boot-loader classes from its CDS archive ("Sharing is only supported for boot loader classes because bootstrap
 * classpath has been appended", {@code ClassLoaderExt::append_boot_classpath}), so an application's own AppCDS
 * archive or AOT cache stops serving its classes. Classes defined one by one do not change any class path.
 * Everything else of zc (the transformer, ASM, ByteBuddy) stays in the system class loader, where the
 * {@code -javaagent} jar already is; parent-first delegation hands its references to the runtime classes to the
 * bootstrap loader's copies, so both sides share one {@code Stats}.
 */
final class RuntimeClasses {
    /** Written at build time (agent/pom.xml): one class file name per line. */
    private static final String INDEX = "zc/agent/boot/runtime-classes.txt";

    private RuntimeClasses() {
    }

    /**
     * Defines every runtime class in the bootstrap loader; returns false (and defines nothing more) where this JDK
     * does not allow it, and the caller falls back to appending the jar to the boot class path.
     */
    static boolean defineInBootLoader(Instrumentation inst) {
        MethodHandle define;
        try {
            // jdk.internal.misc.Unsafe.defineClass with a null loader is the JDK's own way to define a class in
            // the bootstrap loader (JDK 11 to 25); java.base exports its package to zc for this call only.
            inst.redefineModule(Object.class.getModule(), Set.of(),
                    Map.of("jdk.internal.misc", Set.of(RuntimeClasses.class.getModule())), Map.of(), Set.of(),
                    Map.of());
            // A method handle called with invokeExact, not Method.invoke: on JDK 18+ (JEP 416) the first
            // Method.invoke of a method builds a method-handle accessor with adapters, about 30 ms at start-up.
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass)).invoke();
            define = lookup.findVirtual(unsafeClass, "defineClass", MethodType.methodType(Class.class, String.class,
                    byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class)).bindTo(unsafe);
        } catch (Throwable unavailable) {
            return false;
        }
        // The jar straight through ZipFile: the system class loader has it open already (ZipFile shares that
        // index), and getResourceAsStream would first load the jar: URL handler's classes.
        try (ZipFile jar = new ZipFile(new File(
                RuntimeClasses.class.getProtectionDomain().getCodeSource().getLocation().toURI()))) {
            List<String> pending = names(jar);
            // A class can only be defined once its superclass and interfaces are: define in rounds until none is
            // left, each round retrying the classes whose supertype was not there yet.
            while (!pending.isEmpty()) {
                List<String> later = new ArrayList<>();
                for (String name : pending) {
                    byte[] bytes = bytes(jar, name + ".class");
                    try {
                        Class<?> c = (Class<?>) define.invokeExact(name.replace('/', '.'), bytes, 0, bytes.length,
                                (ClassLoader) null, (ProtectionDomain) null);
                    } catch (NoClassDefFoundError supertypeNotYetDefined) {
                        later.add(name);
                    }
                }
                if (later.size() == pending.size()) {
                    // Only a JDK class missing from this run-time image can stop a round: CopyEvent's jdk.jfr.Event
                    // in an image made without jdk.jfr. The rest works without them (CopyEvents checks for JFR).
                    zc.agent.stats.Stats.error("defining " + later + " in the bootstrap loader",
                            new NoClassDefFoundError("a supertype is missing from this Java run-time image"));
                    return true;
                }
                pending = later;
            }
            return true;
        } catch (Throwable e) {
            throw new IllegalStateException("defining zc's runtime classes failed: " + e, e);
        }
    }

    private static List<String> names(ZipFile jar) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : new String(bytes(jar, INDEX), StandardCharsets.UTF_8).split("\n")) {
            String l = line.strip();
            if (l.endsWith(".class")) {
                names.add(l.substring(0, l.length() - 6));
            }
        }
        return names;
    }

    private static byte[] bytes(ZipFile jar, String entry) throws IOException {
        ZipEntry e = jar.getEntry(entry);
        if (e == null) {
            throw new IOException(entry + " is not in the agent jar");
        }
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }
}
