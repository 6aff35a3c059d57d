package zc.agent.boot;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Makes the classes that rewritten code calls (the dispatcher in {@code zc.agent.rt} and what it uses: statistics,
 * the JFR event, the loop shapes) visible to every class loader without touching the boot class path: each is
 * defined in the bootstrap loader on its own (by BootDefiner), from one entry of the agent jar that holds them
 * all, supertypes first ({@link #BLOB}).
 *
 * <p>Why not {@code Boot-Class-Path} or {@code appendToBootstrapClassLoaderSearch}: either makes HotSpot share only
 * boot-loader classes from its CDS archive ("Sharing is only supported for boot loader classes because bootstrap
 * classpath has been appended", {@code ClassLoaderExt::append_boot_classpath}), so an application's own AppCDS
 * archive or AOT cache stops serving its classes. Classes defined one by one do not change any class path.
 * Everything else of zc (the transformer, ASM) stays in the system class loader, where the
 * {@code -javaagent} jar already is; parent-first delegation hands its references to the runtime classes to the
 * bootstrap loader's copies, so both sides share one {@code Stats}.
 */
final class RuntimeClasses {
    /** Every runtime class in one jar entry, supertypes first; written at build time by {@link RuntimeBlobWriter}. */
    static final String BLOB = "zc/agent/boot/runtime-classes.bin";

    private RuntimeClasses() {
    }

    /** BootDefiner's class file in the agent jar (agent/pom.xml): not a .class entry, so no other loader defines it. */
    static final String DEFINER = "zc/agent/boot/BootDefiner.bin";
    /**
     * BootDefiner, once defined, or null: a Supplier of the JVM's saved --illegal-native-access and a BiConsumer that
     * loads a JNI library into the bootstrap loader, once.
     */
    private static volatile Object definer;

    /**
     * Defines every runtime class in the bootstrap loader; returns false (and defines nothing more) where this JDK
     * does not allow it, and the caller falls back to appending the jar to the boot class path.
     */
    @SuppressWarnings("unchecked")
    static boolean defineInBootLoader(Instrumentation inst) {
        Function<byte[], String[]> define;
        try {
            byte[] definerClass = AgentJar.read(DEFINER);
            if (definerClass == null) {
                return false;
            }
            DefinerLoader loader = new DefinerLoader(definerClass);
            // java.base exports jdk.internal.misc and jdk.internal.loader to that loader's unnamed module alone, for
            // BootDefiner
            Set<Module> definerOnly = Set.of(loader.getUnnamedModule());
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", definerOnly,
                    "jdk.internal.loader", definerOnly), Map.of(), Set.of(), Map.of());
            // initialising it links its reference to jdk.internal.misc.Unsafe: an IllegalAccessError where this JDK
            // does not export it after all
            Class.forName(DefinerLoader.NAME, true, loader); // its initialiser hands the loader an instance
            Object instance = loader.definer();
            define = (Function<byte[], String[]>) instance;
            definer = instance;
        } catch (Throwable unavailable) {
            return false;
        }
        byte[] blob;
        // One entry, not one per class: reading ~100 entries cost ~8 ms of start-up, most of it cold zip and
        // inflater code.
        try {
            blob = AgentJar.read(BLOB);
            if (blob == null) {
                throw new IOException(BLOB + " is not in the agent jar");
            }
        } catch (Throwable e) {
            throw new IllegalStateException("reading zc's runtime classes failed: " + e, e);
        }
        // Only a JDK class missing from this run-time image is missing (supertypes come first in the blob):
        // CopyEvent's jdk.jfr.Event in an image made without jdk.jfr. The rest works without them (CopyEvents checks
        // for JFR).
        String[] missing = define.apply(blob);
        // Without jdk.jfr in the boot layer (an image made without it, --limit-modules) there is no JFR to record
        // into: nothing went wrong. With it, a class still missing is a failure to report.
        if (missing.length > 0 && ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
            zc.agent.stats.Stats.error("defining " + java.util.Arrays.toString(missing) + " in the bootstrap loader",
                    new NoClassDefFoundError("a supertype is missing from this Java run-time image"));
        }
        return true;
    }

    /**
     * The JVM's {@code --illegal-native-access} as given ("warn" when not given); null where it cannot be read (the
     * runtime classes were not defined by BootDefiner).
     */
    @SuppressWarnings("unchecked")
    static String illegalNativeAccess() {
        Object d = definer;
        if (d == null) {
            return null;
        }
        String v = ((Supplier<String>) d).get();
        return v == null ? "warn" : v;
    }

    /**
     * Loads the JNI library at {@code path} into the bootstrap loader, bound to {@code from} (a class of that loader),
     * with no JEP 472 warning (BootDefiner); once. Throws UnsatisfiedLinkError as {@code System.load} would, and
     * IllegalStateException where BootDefiner is not there.
     */
    @SuppressWarnings("unchecked")
    static void loadInBootLoader(Class<?> from, String path) {
        Object d = definer;
        if (d == null) {
            throw new IllegalStateException("zc's runtime classes were not defined by BootDefiner");
        }
        ((java.util.function.BiConsumer<Class<?>, String>) d).accept(from, path);
    }

    /**
     * Defines BootDefiner, and nothing else; its parent is the bootstrap loader, where all it names is. BootDefiner's
     * initialiser gives it the instance ({@link #accept}).
     */
    private static final class DefinerLoader extends ClassLoader implements java.util.function.Consumer<Object> {
        static final String NAME = "zc.agent.boot.BootDefiner";
        private final byte[] classFile;
        private Object instance;

        DefinerLoader(byte[] classFile) {
            super(null);
            this.classFile = classFile;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals(NAME)) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, classFile, 0, classFile.length);
        }

        @Override
        public synchronized void accept(Object definer) {
            instance = definer;
        }

        synchronized Object definer() {
            if (instance == null) {
                throw new IllegalStateException("BootDefiner did not initialise");
            }
            return instance;
        }
    }
}
