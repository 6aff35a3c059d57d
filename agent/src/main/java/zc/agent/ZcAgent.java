package zc.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * Entry point of {@code -javaagent:zc-agent.jar[=options]}. Loaded by the system class loader, it does two things:
 * puts its own jar on the bootstrap class path, so that the dispatcher the rewritten code calls is visible to every
 * class loader, and hands over to {@code zc.agent.boot.Installer} there. Every zc class but this one is then loaded
 * by the bootstrap loader; all of them live in zc's own package (ByteBuddy and ASM are relocated into
 * {@code zc.agent.shaded}). No Throwable ever escapes into the application.
 */
public final class ZcAgent {
    private static final String INSTALLED = "zc.agent.installed";

    private ZcAgent() {
    }

    public static void premain(String options, Instrumentation inst) {
        start(options, inst, false);
    }

    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst, true);
    }

    private static void start(String options, Instrumentation inst, boolean attached) {
        try {
            if (System.getProperty(INSTALLED) != null) {
                System.err.println("zc-agent: already installed in this JVM; ignoring the second -javaagent");
                return;
            }
            System.setProperty(INSTALLED, "true");
            File jar = new File(ZcAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            Class.forName("zc.agent.boot.Installer", true, null)
                    .getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, options, inst, attached);
        } catch (Throwable t) {
            System.err.println("zc-agent: disabled, the application runs unchanged: " + t);
        }
    }
}
