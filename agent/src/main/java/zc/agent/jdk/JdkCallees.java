package zc.agent.jdk;

import java.lang.instrument.Instrumentation;
import zc.agent.rt.ZcCallee;
import zc.agent.stats.Stats;

/**
 * Copies made inside the JDK, handled at the callee: the JDK's file server ({@code java -m jdk.httpserver},
 * {@code SimpleFileServer}) copies with {@code Files.newInputStream(path).transferTo(exchange.getResponseBody())}, JDK
 * code the loop transformer never rewrites. On newer JDKs (25 read; looked up on the running JDK)
 * {@code sun.nio.ch.ChannelInputStream} declares its own {@code transferTo} (zero-copy only into the JDK's channel
 * streams); zc adds {@link TransferToHook}'s few instructions to that one method, without class-format changes (so that
 * a retransformation can add them too). JDK 17 has no file server and its ChannelInputStream inherits
 * {@code InputStream.transferTo}, shared by every stream of the JVM: not hooked there (its JDK callers,
 * {@code Files.copy(Path, OutputStream)}, are rewritten at the application's call site). Only with mode=rewrite. Any
 * failure leaves the class as it was. The hook is added when the class is loaded (the start-up transformer calls
 * {@link #hook}), or by retransformation where it was loaded before zc.
 *
 * <p>Plain ASM, not ByteBuddy's {@code Advice}: the same hook through ByteBuddy cost about 200 ms of CPU at start-up on
 * JDK 25 (its type pool and descriptions initialised and run cold, and the JIT work they caused), this about a tenth of
 * that.
 */
public final class JdkCallees {
    public static final String TARGET = "sun/nio/ch/ChannelInputStream";

    private JdkCallees() {
    }

    /**
     * Hooks the class now if it is loaded already (after an attach, or from a JDK 24+ AOT cache, which loads its
     * classes before premain); otherwise the start-up transformer hooks it when the application first loads it
     * ({@link #hook}), and an application that never opens a file stream pays nothing.
     */
    public static void installIfLoaded(Instrumentation inst) {
        Class<?> target = null;
        // By walking the loaded classes, not Class.forName: loading the class here would hook it in premain, and
        // load ASM there (~13 ms of every JDK 25 start), for applications that never open a file stream.
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getClassLoader() == null && c.getName().equals("sun.nio.ch.ChannelInputStream")) {
                target = c;
                break;
            }
        }
        if (target != null) {
            try {
                inst.retransformClasses(target); // the start-up transformer adds the hook, as at load time
            } catch (Throwable t) {
                Stats.error("retransforming " + target.getName(), t);
            }
        }
    }

    /**
     * ChannelInputStream's class file with the hook in its own transferTo, or null where it declares none (JDK 17:
     * see above; its constant pool does not even name the method, checked before ASM is touched).
     */
    public static byte[] hook(byte[] bytes) {
        if (!hookable(bytes)) {
            return null;
        }
        try {
            byte[] out = TransferToHook.addTo(bytes);
            if (out != null) {
                hooked();
            }
            return out;
        } catch (Throwable t) {
            Stats.error("transforming " + TARGET, t);
            return null;
        }
    }

    /** Whether this JDK's ChannelInputStream can take the hook: it declares transferTo (JDK 21+). */
    public static boolean hookable(byte[] bytes) {
        return names(bytes, "transferTo");
    }

    /** The hooked class is being defined (by {@link #hook}, or from the rewrite cache): the hook may now run. */
    public static void hooked() {
        ZcCallee.enable();
    }

    /** Whether the ASCII string occurs in the class file at all (a method it declares is named in its pool). */
    private static boolean names(byte[] b, String ascii) {
        outer:
        for (int i = 0, last = b.length - ascii.length(); i <= last; i++) {
            for (int k = 0; k < ascii.length(); k++) {
                if (b[i + k] != ascii.charAt(k)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
