package zc.session.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import zc.proc.NicFeatures;
import zc.proc.SystemFacts;

/** The machine a session ran on, for the report. */
final class Environment {
    private Environment() {
    }

    static Map<String, String> probe() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("kernel", SystemFacts.kernel());
        env.put("cpu", SystemFacts.cpuModel());
        env.put("cpus", String.valueOf(Runtime.getRuntime().availableProcessors()));
        env.put("memory", SystemFacts.memTotal());
        env.put("user", System.getProperty("user.name"));
        env.put("perf_event_paranoid", SystemFacts.firstLine(Path.of("/proc/sys/kernel/perf_event_paranoid")));
        env.put("zcJava", Runtime.version().toString());
        NicFeatures lo = NicFeatures.of("lo");
        env.put("lo offload (" + lo.source() + ")", lo.features().toString());
        return env;
    }
}
