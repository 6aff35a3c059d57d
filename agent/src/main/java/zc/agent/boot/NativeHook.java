package zc.agent.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.ProtectionDomain;
import java.util.EnumSet;
import java.util.Locale;
import zc.agent.match.ConstantPoolScan;
import zc.agent.rt.JniLibraries;

/**
 * zc's class-load hook in C ({@code agent/src/main/c/zc_hook.c}): a JVMTI ClassFileLoadHook in an environment of
 * its own that runs {@link ConstantPoolScan}'s test on every class the application loads and calls
 * {@link #loaded} only for the classes that pass it (tens to a few hundred in a Spring Boot start of ~12,000).
 *
 * <p>Why: with a Java {@code ClassFileTransformer} registered, java.instrument (JPLIS) calls into Java for every
 * class loaded, copying its class file into a new byte[], and the scan runs in the interpreter until the JIT
 * compiles it: the floor of a Java agent that docs/BENCHMARKS.md measures ("no-op agent"). The hook in C costs what
 * a JVMTI agent with an empty hook costs, which measured as no agent at all.
 *
 * <p>The library is one entry of the agent jar per platform ({@link #ENTRY}); it is written to a new file of the
 * temporary directory (created exclusively, readable by its owner alone), loaded, and deleted. Where that fails (no
 * library for this platform, a temporary directory mounted noexec, {@code --illegal-native-access=deny}, option
 * {@code hook=java}), the Java transformer does the same work, and {@link #install} says why.
 */
final class NativeHook {
    /** The library in the agent jar, for this platform ({@code os.name}-{@code os.arch}, e.g. linux-amd64). */
    static final String ENTRY = "zc/agent/boot/native/" + System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
            + "-" + System.getProperty("os.arch", "") + "/libzchook.so";
    /** The transformer the classes that pass the scan go to; set once, before the hook is on. */
    private static volatile FirstScanTransformer target;

    // What the library's JNI_OnLoad reads (ConstantPoolScan.Tables, the boot-loader class to pass up, whether to
    // turn the hook on) and writes (status: 0, or a code). Fields, not native methods: binding a native method of a
    // class-path class prints JEP 472's warning on JDK 24+, a field read from C does not.
    static byte[][] wantedBytes;
    static int[] wantedBits;
    static int loopBits;
    static int helperBits;
    static String[] skippedPrefixes;
    static String bootTarget;
    static boolean enable;
    static int status = -1;

    private NativeHook() {
    }

    /** The C scan's answer for one class file, for the test that holds it to ConstantPoolScan's; never bound else. */
    static native boolean scan(byte[] classFile);

    /**
     * Loads the library, which turns the hook on, sending what passes the scan to {@code transformer}; the
     * boot-loader class {@code bootTarget} (internal name, or null) is sent too. Returns null when the hook is on;
     * otherwise why not, in a few words, and no hook is on.
     */
    static String install(FirstScanTransformer transformer, String bootTarget) {
        target = transformer;
        String why;
        try {
            why = load(bootTarget, true);
        } catch (Throwable t) { // an OutOfMemoryError, say: the Java transformer still works
            why = "the hook could not be set up (" + t + ")";
        }
        // what the library did decides: once it is on, nothing turns it off, and the Java transformer must not
        // see the same loads
        return status == 0 ? null : why != null ? why : "the library did not set itself up";
    }

    /** Sends nothing more to the transformer: the hook stays on but every class loads as it is. */
    static void off() {
        target = null;
    }

    /**
     * Loads the library with its tables filled, and the hook on when {@code on}; null when done, else why not. The
     * test's way in with {@code on} false. Once per JVM.
     */
    static String load(String bootTarget, boolean on) throws IOException {
        byte[] library = AgentJar.read(ENTRY);
        if (library == null) {
            return "the agent jar has no hook for this platform (" + ENTRY + ")";
        }
        boolean jep472 = Runtime.version().feature() >= 24;
        if (jep472) {
            String access = RuntimeClasses.illegalNativeAccess();
            if (access == null || access.equals("deny")) {
                return access == null ? "the JVM's --illegal-native-access setting could not be read"
                        : "--illegal-native-access=deny";
            }
        }
        Path given = Path.of(System.getProperty("java.io.tmpdir", "/tmp")).toAbsolutePath();
        // The library is loaded by its path after it is written: in a directory where others could rename
        // entries (writable by them and not sticky), someone could put their own library there in between. The
        // real path is checked and then used for everything: a symbolic link on the way could be changed after
        // the check.
        Path dir;
        String swap;
        try {
            dir = given.toRealPath();
            swap = zc.agent.cache.CacheDirectory.othersCanSwapEntries(dir);
        } catch (IOException e) {
            return "the temporary directory " + given + " cannot be used (" + e + ")";
        }
        if (swap != null) {
            return "the temporary directory " + given + " cannot be trusted: " + swap;
        }
        ConstantPoolScan.Tables t = ConstantPoolScan.tables();
        wantedBytes = t.wanted();
        wantedBits = t.bits();
        loopBits = t.loop();
        helperBits = t.helper();
        skippedPrefixes = t.skipped();
        NativeHook.bootTarget = bootTarget;
        enable = on;
        Path file = null;
        try {
            // O_EXCL, mode 600: neither a file nor a link put there first is ever followed or loaded; a name taken
            // (another JVM's in the same nanosecond, or someone's) is tried again with another. Named by the clock,
            // not the pid: ProcessHandle starts an executor and its classes, ~5 ms of premain.
            for (int attempt = 0; file == null; attempt++) {
                Path candidate = dir.resolve("zc-hook-" + Long.toHexString(System.nanoTime()) + ".so");
                try {
                    Files.createFile(candidate, PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                    file = candidate;
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    if (attempt == 9) {
                        throw taken;
                    }
                }
            }
            // Written by FileOutputStream, not a channel: a channel copies a heap buffer through a direct one, which
            // -XX:MaxDirectMemorySize=0 refuses.
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(file.toFile())) {
                out.write(library);
            }
            JniLibraries.prepare(NativeHook.class);
            if (jep472) {
                RuntimeClasses.loadInBootLoader(JniLibraries.class, file.toString());
            } else {
                System.load(file.toString());
            }
        } catch (IOException e) {
            return "the library could not be written to " + dir + " (" + e + ")";
        } catch (Exception | UnsatisfiedLinkError e) { // a noexec mount, another libc
            return "the library could not be loaded (" + e + ")";
        } finally {
            try {
                if (file != null) {
                    Files.deleteIfExists(file); // mapped by now, or never to be: the file is not needed any more
                }
            } catch (IOException ignored) {
                // a file of a few kilobytes left in the temporary directory; nothing else
            }
        }
        return status == 0 ? null : status < 0 ? "the library did not set itself up"
                : "the library refused to set up (code " + status + ")";
    }

    /**
     * Called by the hook, on the loading thread, for a class that passed the scan (or is the boot target): the
     * rewritten class file, or null to keep it. Never throws.
     */
    static byte[] loaded(ClassLoader loader, String name, ProtectionDomain pd, byte[] bytes) {
        FirstScanTransformer t = target;
        return t == null ? null : t.scanned(loader, name, bytes);
    }
}
