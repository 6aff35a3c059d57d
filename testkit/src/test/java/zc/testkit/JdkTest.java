package zc.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class JdkTest {

    @Test
    void withJdk21AddsOneJdk21ToTheInstalledOnes() {
        List<Jdk> installed = Jdk.installed();
        List<Jdk> with21 = Jdk.withJdk21();
        assertEquals(Runtime.version().feature(), with21.get(0).major(), "the running JDK first: " + with21);
        assertEquals(1, with21.stream().filter(j -> j.major() == 21).count(), with21.toString());
        assertTrue(with21.containsAll(installed), installed + " in " + with21);
        assertEquals(installed.size() + (installed.stream().anyMatch(j -> j.major() == 21) ? 0 : 1), with21.size());
        for (int i = 2; i < with21.size(); i++) {
            assertTrue(with21.get(i - 1).major() < with21.get(i).major(), "one per major, ascending: " + with21);
        }
    }

    @Test
    void aJdkThatIsNotInstalledAbortsTheTestThatForksIt() {
        Jdk missing = new Jdk(21, Path.of("/nonexistent/zc-jdk21"));
        TestAbortedException e = assertThrows(TestAbortedException.class, missing::java);
        assertEquals("JDK 21 is not installed at /nonexistent/zc-jdk21 (scripts/ci/install-jdk21 installs it)",
                e.getMessage());
    }
}
