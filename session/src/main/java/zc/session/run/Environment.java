package zc.session.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a session ran on, for the report. */
final class Environment {
    private Environment() {
    }

    static Map<String, String> probe() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("kernel", first(Path.of("/proc/sys/kernel/osrelease")));
        env.put("cpu", cpu());
        env.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        env.put("user", System.getProperty("user.name"));
        env.put("perf_event_paranoid", first(Path.of("/proc/sys/kernel/perf_event_paranoid")));
        env.put("zcJava", Runtime.version().toString());
        return env;
    }

    private static String first(Path p) {
        try {
            return Files.readAllLines(p).get(0).strip();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }
}
