package zc.containers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import zc.testkit.Jdk;

/** What every container test shares: a work folder, curl as the client, one run per installed JDK. */
public abstract class ContainerTest {
    @TempDir
    protected static Path work;

    @BeforeAll
    static void curl() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is the client");
    }

    protected static Stream<Jdk> jdks() {
        return Jdk.installed().stream();
    }
}
