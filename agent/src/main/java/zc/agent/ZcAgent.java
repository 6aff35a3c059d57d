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
        if (securityManager()) {
            // Under a SecurityManager (JDK 17-23) the agent's code has the permissions of the class path, not
            // enough to read its own system properties or open java.base; failing part-way would be worse
            System.err.println("zc-agent: a SecurityManager is installed; zc does not run under one, the application"
                    + " runs unchanged");
            return;
        }
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
            try {
                zc.agent.boot.LoadOutcome.failed(String.valueOf(t));
            } catch (Throwable recordingFailed) {
                // nothing escapes premain: a Throwable here would stop the JVM ("processing of -javaagent failed")
            }
        }
    }

    @SuppressWarnings("removal") // System.getSecurityManager: deprecated for removal since JDK 17 (JEP 411)
    private static boolean securityManager() {
        try {
            return System.getSecurityManager() != null;
        } catch (Throwable t) {
            return false; // JDK 24+ (JEP 486): there is none
        }
    }
}
