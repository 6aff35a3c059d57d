package zc.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point of {@code -javaagent:zc-agent.jar[=options]}. Loaded by the system class loader, it hands over to
 * {@code zc.agent.boot.Installer}, which first makes the classes rewritten code calls visible to every class loader
 * (defined in the bootstrap loader one by one, the boot class path left alone so that the application's own
 * class-data archive keeps working) and then installs the transformer. All of zc lives in zc's own package
 * (ByteBuddy and ASM are relocated into {@code zc.agent.shaded}). No Throwable ever escapes into the application.
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
                System.err.println("zc-agent: already installed in this JVM (" + System.getProperty(INSTALLED)
                        + "); ignoring this " + (attached ? "zc attach" : "-javaagent") + " and its options");
                zc.agent.boot.LoadOutcome.already(System.getProperty(INSTALLED));
                return;
            }
            System.setProperty(INSTALLED, options == null || options.isEmpty() ? "no options" : options);
            if (!zc.agent.boot.Installer.install(options, inst, attached)) {
                // nothing was installed (bad options, mode=off): a later attach with good options may still load zc
                System.clearProperty(INSTALLED);
            }
        } catch (Throwable t) {
            System.err.println("zc-agent: disabled, the application runs unchanged: " + t);
            zc.agent.boot.LoadOutcome.failed(String.valueOf(t));
        }
    }
}
