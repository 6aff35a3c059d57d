package zc.cli.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zc.proc.NicFeatures;
import zc.session.env.FileSystemOf;
import zc.session.env.Machine;

/**
 * The conditions a table was measured under: the machine (through OSHI: kernel, OS, CPU, cores, frequency, memory,
 * hypervisor, every interface's speed and MTU), the JDK, the file system of the test file, and the sending
 * interface's offload features (ethtool or its ioctl: OSHI does not read them).
 */
record Environment(String kernel, String os, String cpu, int cores, int cpus, String cpuFrequency, String memory,
                   String hypervisor, List<String> interfaces, String jdk, String fileSystem, String iface,
                   Map<String, String> ifaceFeatures, String ifaceFeaturesSource) {

    static Environment probe(String jdk, String iface, Path file) {
        Machine m = Machine.probe();
        Map<String, String> facts = m.facts();
        NicFeatures nic = NicFeatures.of(iface);
        return new Environment(m.kernel(), m.os(), m.cpu(), m.cores(), m.cpus(), facts.get("cpu frequency"),
                facts.get("memory"), m.hypervisor(), m.nics().stream().map(Machine.Nic::describe).toList(), jdk,
                FileSystemOf.path(file).describe(), iface, new LinkedHashMap<>(nic.features()), nic.source());
    }

    String summary() {
        return Machine.summary(kernel, os, cpu, cores, cpus, cpuFrequency, memory, hypervisor) + ", JDK " + jdk
                + "; test file on " + fileSystem;
    }

    String ifaceSummary() {
        StringBuilder b = new StringBuilder(iface + ":");
        ifaceFeatures.forEach((k, v) -> b.append(' ').append(k).append(' ').append(v).append(';'));
        String features = ifaceFeatures.isEmpty() ? iface + ": features unknown (" + ifaceFeaturesSource + ")"
                : b.substring(0, b.length() - 1);
        return features + "; interfaces: " + String.join(", ", interfaces);
    }
}
