package zc.cli.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/** The Attach API, with its failures turned into one line each. Kept apart: only it needs jdk.attach. */
final class Attach {
    /** The system property the agent keeps its load outcome in (zc.agent.boot.LoadOutcome.PROPERTY). */
    private static final String OUTCOME = "zc.agent.load";
    /** Set by the agent once installed (ZcAgent): its options, or "no options". */
    private static final String INSTALLED = "zc.agent.installed";

    record Jvm(long pid, String name) {
    }

    /**
     * The target's system properties before the load, and what the agent said of this load (zc.agent.boot.LoadOutcome:
     * {@code loaded: ...}, {@code refused: ...}); null when it said nothing (an agent jar older than the outcome).
     */
    record Loaded(Properties target, String outcome) {
    }

    private Attach() {
    }

    static List<Jvm> list() {
        long self = ProcessHandle.current().pid();
        return VirtualMachine.list().stream().map(d -> new Jvm(Long.parseLong(d.id()), d.displayName()))
                .filter(j -> j.pid() != self).toList();
    }

    /**
     * What the agent's own parser ({@code zc.agent.AgentOptions.parse}, loaded from {@code jar} in a loader of its
     * own) says is wrong with {@code options}, or null when they parse (or the jar has no such parser: the agent
     * then checks them itself, in the target).
     */
    static String invalidOptions(Path jar, String options) {
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
                null)) {
            Class.forName("zc.agent.AgentOptions", true, loader).getMethod("parse", String.class)
                    .invoke(null, options);
            return null;
        } catch (java.lang.reflect.InvocationTargetException e) {
            return e.getCause() instanceof IllegalArgumentException bad ? bad.getMessage() : null;
        } catch (ReflectiveOperationException | java.io.IOException | LinkageError e) {
            return null;
        }
    }

    /** Loads the agent; returns the target's system properties and the agent's own word on the load. */
    static Loaded load(long pid, Path jar, String options) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException | IOException e) {
            boolean listed = VirtualMachine.list().stream().map(VirtualMachineDescriptor::id)
                    .anyMatch(id -> id.equals(String.valueOf(pid)));
            String why = !ProcessHandle.of(pid).isPresent() ? "no process " + pid
                    : listed ? "it refused the attach (" + e.getMessage() + ")"
                    : "it is not a JVM this user can attach to (another user's JVM? run zc as that user; or "
                    + "started with -XX:+DisableAttachMechanism)";
            throw new ZcException(ExitCodes.FAILED, "cannot attach to " + pid + ": " + why);
        }
        try {
            Properties props = vm.getSystemProperties();
            String installed = props.getProperty(INSTALLED);
            if (installed != null) {
                // zc runs there already: loading it again would only add the JDK's dynamic-load warning (JEP 451)
                // and the agent's "already installed" line to the application's log
                return new Loaded(props, "already: " + installed);
            }
            vm.loadAgent(jar.toString(), options.isBlank() ? null : options);
            String after = vm.getSystemProperties().getProperty(OUTCOME);
            boolean spoke = after != null && !after.equals(props.getProperty(OUTCOME)) && after.indexOf(' ') > 0;
            return new Loaded(props, spoke ? after.substring(after.indexOf(' ') + 1) : null);
        } catch (AgentLoadException | AgentInitializationException e) {
            throw new ZcException(ExitCodes.FAILED, "the agent did not load into " + pid + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ZcException(ExitCodes.FAILED, "attach to " + pid + " failed: " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the agent is loaded; the connection is gone anyway
            }
        }
    }
}
