package zc.session.containers;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to run one container for {@code zc bench containers}: its launcher (class path, main class, arguments, the
 * line that says it listens, with the port as group 1), the URL prefix of the application's copy loop (measured
 * without the agent and with it), that of the container's own zero-copy path (the yardstick) and, optionally, of
 * mapped windows written through the container's stream. Any container
 * whose launcher serves a folder this way can be benchmarked; {@code {root}} in the arguments is that folder.
 */
public record ContainerSpec(String name, String classpath, String mainClass, List<String> args, Pattern ready,
                            String loopPrefix, String ownPrefix, String ownLabel, String mappedPrefix) {

    /** The URL prefix of a variant, or null when this container has no such path. */
    public String prefix(ContainerVariant v) {
        return switch (v) {
            case ORIGINAL, ZC -> loopPrefix;
            case OWN -> ownPrefix;
            case MAPPED -> mappedPrefix;
        };
    }

    public List<String> arguments(Path root, Path work) {
        return args.stream().map(a -> a.replace("{root}", root.toString()).replace("{work}", work.toString()))
                .toList();
    }
}
