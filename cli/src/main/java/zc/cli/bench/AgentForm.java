package zc.cli.bench;

import java.nio.file.Path;

/**
 * The two ways to put a Java agent on a JVM's command line. {@code -javaagent:J[=O]} is the JVM's shorthand for
 * {@code -agentlib:instrument=J[=O]} plus {@code --add-modules java.instrument} (HotSpot's arguments.cpp); that
 * module option turns off the CDS archive's full module graph ("optimized module handling: disabled due to
 * incompatible property: jdk.module.addmods.0=java.instrument" in {@code -Xlog:cds}), so the module system boots the
 * slow way at every start. A class-path application's boot layer has java.instrument anyway (JEP 261's default root
 * modules), and the long form loads the same agent the same way without that cost; the bench measures both.
 */
enum AgentForm {
    JAVAAGENT("-javaagent:"),
    AGENTLIB("-agentlib:instrument=");

    private final String prefix;

    AgentForm(String prefix) {
        this.prefix = prefix;
    }

    /** The JVM option that loads {@code jar} with {@code options} (none when blank). */
    String flag(Path jar, String options) {
        return prefix + jar + (options.isBlank() ? "" : "=" + options);
    }
}
