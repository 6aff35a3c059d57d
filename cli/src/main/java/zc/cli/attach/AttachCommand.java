package zc.cli.attach;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import zc.cli.ExitCodes;
import zc.cli.Platform;
import zc.cli.ZcException;

/** {@code zc attach}: loads zc-agent into a JVM that is already running. */
@Command(name = "attach", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Loads zc-agent.jar into a running JVM (its agentmain). Classes already loaded are checked "
                + "again in the background, in batches of 100; classes loaded later are handled as they load.",
            "zc attach --list shows the JVMs this user can attach to."})
public final class AttachCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "PID", description = "The JVM's process id.")
    Long pid;

    @Option(names = "--list", description = "List the JVMs of this user.")
    boolean list;

    @Option(names = "--options", paramLabel = "OPTS", defaultValue = "",
            description = "Agent options, as after -javaagent:zc-agent.jar= (e.g. out=/tmp/zc,log=info).")
    String options;

    @Option(names = "--agent", paramLabel = "JAR", description = "zc-agent.jar. Default: the one built here.")
    Path agent;

    @Override
    public Integer call() {
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            throw new ZcException(ExitCodes.UNSUPPORTED, "this Java has no attach module (jdk.attach): "
                    + "run zc with a full JDK, not a JRE");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            List<Attach.Jvm> jvms = Attach.list();
            for (Attach.Jvm j : jvms) {
                out.printf("%8d  %s%n", j.pid(), j.name().isBlank() ? "(no main class)" : j.name());
            }
            if (jvms.isEmpty()) {
                out.println("no JVM of this user to attach to");
            }
            return ExitCodes.OK;
        }
        if (pid == null) {
            throw new ZcException(ExitCodes.USAGE, "give a PID, or --list");
        }
        Path jar = agent != null ? agent.toAbsolutePath() : Platform.agentJar();
        if (!Files.isRegularFile(jar)) {
            throw new ZcException(ExitCodes.USAGE, "no agent jar at " + jar + " (build it, or pass --agent)");
        }
        String invalid = Attach.invalidOptions(jar, options);
        if (invalid != null) {
            // refused here, before the load: a loaded agent would leave the JDK's dynamic-load warning (JEP 451)
            // and its own refusal in the application's log for nothing
            throw new ZcException(ExitCodes.USAGE, "bad agent options, nothing loaded into " + pid + ": " + invalid);
        }
        Attach.Loaded loaded = Attach.load(pid, jar, options);
        Properties target = loaded.target();
        String outcome = loaded.outcome();
        if (outcome != null && outcome.startsWith("already: ")) {
            String installed = outcome.substring("already: ".length());
            if (!installed.equals(options.isBlank() ? "no options" : options)) {
                throw new ZcException(ExitCodes.FAILED, "zc-agent was already loaded into " + pid + " with other "
                        + "options (" + installed + "); these were ignored: nothing changed");
            }
            out.println("zc-agent was already loaded into " + pid + " with these options; nothing changed");
            return ExitCodes.OK;
        }
        if (outcome != null && !outcome.startsWith("loaded: ")) {
            // refused (bad options, mode=off) or failed (an error while installing): the agent's own reason
            String why = outcome.substring(outcome.indexOf(':') + 2);
            throw new ZcException(ExitCodes.FAILED, "zc-agent " + (outcome.startsWith("refused") ? "refused to load"
                    : "failed to install") + " into " + pid + ": " + why + "; the application runs unchanged");
        }
        out.println("zc-agent loaded into " + pid + " (Java " + target.getProperty("java.version", "?")
                + (outcome == null ? "; the agent reported no outcome" : ", " + outcome.substring(8))
                + "); loaded classes are checked again in the background");
        String version = target.getProperty("java.specification.version", "17");
        if (Integer.parseInt(version.split("\\.")[0]) >= 21) {
            out.println("note: JDK 21+ prints a warning in the application about an agent loaded dynamically (JEP 451);"
                    + " start it with -XX:+EnableDynamicAgentLoading to acknowledge it");
        }
        return ExitCodes.OK;
    }
}
