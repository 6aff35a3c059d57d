package zc.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * async-profiler (the native library from its Maven Central jar, loaded as -agentpath) does its job: at exit a CPU
 * profile in collapsed stacks, some of them in the app's own code.
 */
final class Profile implements OtherAgent {
    private final Path file;
    private final TestApp app;

    Profile(Path file, TestApp app) {
        this.file = file;
        this.app = app;
    }

    @Override
    public List<String> jvmOptions() throws IOException {
        return List.of("-agentpath:" + Jars.asyncProfilerLibrary() + "=start,event=cpu,interval=1ms,collapsed,file="
                + file);
    }

    @Override
    public void afterExit(AppRun run) throws IOException {
        assertTrue(Files.isRegularFile(file), "no " + file + "; stderr: " + run.stderr());
        String appFrame = app.coveredClass() + ".";
        List<String> stacks = Files.readAllLines(file);
        assertTrue(stacks.stream().anyMatch(s -> s.contains(appFrame)), "no stack in " + appFrame + " among "
                + stacks.size() + " in " + file);
    }
}
