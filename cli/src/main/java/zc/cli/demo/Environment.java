package zc.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import zc.proc.NicFeatures;
import zc.proc.SystemFacts;

/** The conditions a table was measured under: kernel, CPU, memory, JDK, the interface's offload features. */
record Environment(String kernel, String cpu, int cpus, String memory, String jdk, String iface,
                   Map<String, String> ifaceFeatures, String ifaceFeaturesSource) {

    static Environment probe(String jdk, String iface) {
        NicFeatures nic = NicFeatures.of(iface);
        return new Environment(SystemFacts.kernel(), SystemFacts.cpuModel(), Runtime.getRuntime().availableProcessors(),
                SystemFacts.memTotal(), jdk, iface,
                new LinkedHashMap<>(nic.features()), nic.source());
    }

    String summary() {
        return "Linux " + kernel + ", " + cpu + " (" + cpus + " CPUs), " + memory + " RAM, JDK " + jdk;
    }

    String ifaceSummary() {
        StringBuilder b = new StringBuilder(iface + ":");
        ifaceFeatures.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v).append(';'));
        return ifaceFeatures.isEmpty() ? iface + ": features unknown (" + ifaceFeaturesSource + ")"
                : b.substring(0, b.length() - 1);
    }
}
