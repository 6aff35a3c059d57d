package zc.session.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import zc.proc.NicFeatures;
import zc.proc.SystemFacts;
import zc.session.env.Machine;

/**
 * The machine a session ran on, for the report: OSHI's facts ({@link Machine}), who ran it, and what decides
 * profiling and loopback zero-copy (perf_event_paranoid, the loopback's offload features).
 */
final class Environment {
    private Environment() {
    }

    static Map<String, String> probe() {
        Map<String, String> env = new LinkedHashMap<>();
        env.putAll(Machine.probe().facts());
        env.put("user", System.getProperty("user.name"));
        env.put("perf_event_paranoid", SystemFacts.firstLine(Path.of("/proc/sys/kernel/perf_event_paranoid")));
        env.put("zcJava", Runtime.version().toString());
        NicFeatures lo = NicFeatures.of("lo");
        env.put("lo offload (" + lo.source() + ")", lo.features().toString());
        return env;
    }
}
