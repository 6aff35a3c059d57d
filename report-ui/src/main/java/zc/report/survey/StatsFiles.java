package zc.report.survey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The statistics files named by the command line: a file is taken as named; a folder is searched recursively for
 * the agent's files ({@code zc-agent-<pid>.json}, and {@code agent-stats.json} in {@code zc ab} session folders).
 */
public final class StatsFiles {
    private StatsFiles() {
    }

    /** Every file, each once, in the order given (a folder's files sorted by path). */
    public static List<Path> find(List<Path> inputs) {
        Set<Path> files = new LinkedHashSet<>();
        for (Path input : inputs) {
            if (Files.isRegularFile(input)) {
                files.add(input.toAbsolutePath().normalize());
            } else if (Files.isDirectory(input)) {
                List<Path> found = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).filter(StatsFiles::isStatsName).sorted().forEach(found::add);
                } catch (IOException | UncheckedIOException e) {
                    throw new StatsFile.Invalid(input + ": cannot be searched (" + e.getMessage() + ")");
                }
                if (found.isEmpty()) {
                    throw new StatsFile.Invalid(input + ": no zc-agent-*.json file in this folder or below it");
                }
                found.forEach(p -> files.add(p.toAbsolutePath().normalize()));
            } else {
                throw new StatsFile.Invalid(input + ": no such file or folder");
            }
        }
        return new ArrayList<>(files);
    }

    static boolean isStatsName(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith("zc-agent-") && name.endsWith(".json") || name.equals("agent-stats.json");
    }
}
