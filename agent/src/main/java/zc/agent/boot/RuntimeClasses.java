package zc.agent.boot;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the classes that rewritten code calls (the dispatcher in {@code zc.agent.rt} and what it uses: statistics,
 * the JFR event, the loop shapes) visible to every class loader without touching the boot class path: each is
 * defined in the bootstrap loader on its own ({@link BootDefiner}), from one entry of the agent jar that holds them
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

    /**
     * Defines every runtime class in the bootstrap loader; returns false (and defines nothing more) where this JDK
     * does not allow it, and the caller falls back to appending the jar to the boot class path.
     */
    static boolean defineInBootLoader(Instrumentation inst) {
        try {
            // java.base exports jdk.internal.misc to zc's module for BootDefiner's one call
            inst.redefineModule(Object.class.getModule(), Set.of(),
                    Map.of("jdk.internal.misc", Set.of(RuntimeClasses.class.getModule())), Map.of(), Set.of(),
                    Map.of());
            // links BootDefiner's reference to jdk.internal.misc.Unsafe: an IllegalAccessError where this JDK
            // does not export it after all
            Class.forName(BootDefiner.class.getName(), true, RuntimeClasses.class.getClassLoader());
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
                BootDefiner.define(name, blob, pos, length);
            } catch (NoClassDefFoundError supertypeMissing) {
                // Only a JDK class missing from this run-time image gets here (supertypes come first in the blob):
                // CopyEvent's jdk.jfr.Event in an image made without jdk.jfr. The rest works without them
                // (CopyEvents checks for JFR).
                missing.add(name);
            } catch (Throwable t) {
                throw new IllegalStateException("defining zc's runtime class " + name + " failed: " + t, t);
            }
            pos += length;
        }
        // Without jdk.jfr in the boot layer (an image made without it, --limit-modules) there is no JFR to record
        // into: nothing went wrong. With it, a class still missing is a failure to report.
        if (!missing.isEmpty() && ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
            zc.agent.stats.Stats.error("defining " + missing + " in the bootstrap loader",
                    new NoClassDefFoundError("a supertype is missing from this Java run-time image"));
        }
        return true;
    }

    private static int u2(byte[] b, int pos) {
        return (b[pos] & 0xff) << 8 | (b[pos + 1] & 0xff);
    }
}
