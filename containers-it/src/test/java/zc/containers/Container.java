package zc.containers;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A container under test: its launcher (a main class taking port, root folder, access log file and keystore, which
 * prints {@code PORT n} and {@code TLS n}), its jars, the size of its response buffer (the body sizes around it are
 * tested), whether it speaks h2c, the name its zero-copy path has in zc's statistics, and another path prefix where
 * the same files are served through another of its streams (null: none).
 */
public record Container(String name, String main, String classpath, int bufferSize, boolean h2c, String via,
                        String alsoAt) {

    /** A container whose files are served by the download servlet only. */
    public Container(String name, String main, String classpath, int bufferSize, boolean h2c, String via) {
        this(name, main, classpath, bufferSize, h2c, via, null);
    }


    /** The jars of a build-classpath execution of the pom (a system property), with the compiled launchers. */
    public static String classpath(String property, String launchers) {
        String cp = System.getProperty(property);
        assertNotNull(cp, property + " (set by the pom)");
        return launchers + File.pathSeparator + cp;
    }

    /** Every jar in a folder (a copy execution of the pom), with the launchers compiled against them. */
    public static String jars(Path dir, Path launchers) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> jars = files.filter(f -> f.toString().endsWith(".jar")).map(Path::toString).sorted().toList();
            return launchers + File.pathSeparator + String.join(File.pathSeparator, jars);
        }
    }
}
