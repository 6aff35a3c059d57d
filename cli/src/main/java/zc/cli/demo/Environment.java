package zc.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import zc.cli.Platform;
import zc.demo.strategy.NicFeatures;

/** The conditions a table was measured under: kernel, CPU, memory, JDK, the interface's offload features. */
record Environment(String kernel, String cpu, int cpus, String memory, String jdk, String iface,
                   Map<String, String> ifaceFeatures, String ifaceFeaturesSource) {

    static Environment probe(String jdk, String iface) {
        NicFeatures nic = NicFeatures.of(iface);
        return new Environment(Platform.readFirstLine(Path.of("/proc/sys/kernel/osrelease"), "?"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), memTotal(), jdk, iface,
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

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / (1024 * 1024) + " GiB").findFirst()
                    .orElse("?");
        } catch (IOException | NumberFormatException e) {
            return "?";
        }
    }
}
