package zc.session.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OSHI's view of this machine, checked against what the kernel itself says in /proc and /sys. */
class MachineTest {
    private static final Machine MACHINE = Machine.probe();

    @Test
    void cpuAndMemoryAreTheKernelsFigures() throws Exception {
        List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
        String model = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst().orElseThrow();
        assertEquals(model.substring(model.indexOf(':') + 1).strip(), MACHINE.cpu());
        assertEquals(cpuinfo.stream().filter(l -> l.startsWith("processor")).count(), MACHINE.cpus());
        assertTrue(MACHINE.cores() >= 1 && MACHINE.cores() <= MACHINE.cpus(), MACHINE.toString());
        String memTotal = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow();
        assertEquals(Long.parseLong(memTotal.replaceAll("\\D", "")) * 1024, MACHINE.memoryBytes());
        assertTrue(MACHINE.frequencyHz() >= 0, MACHINE.toString());
    }

    @Test
    void kernelAndOperatingSystem() throws Exception {
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), MACHINE.kernel());
        assertFalse(MACHINE.os().isBlank());
    }

    @Test
    void everyInterfaceWithItsMtuIncludingLoopback() throws Exception {
        Machine.Nic lo = MACHINE.nics().stream().filter(n -> n.name().equals("lo")).findFirst().orElseThrow();
        assertEquals(Long.parseLong(Files.readString(Path.of("/sys/class/net/lo/mtu")).strip()), lo.mtu());
        for (Machine.Nic nic : MACHINE.nics()) {
            assertEquals(Long.parseLong(Files.readString(Path.of("/sys/class/net", nic.name(), "mtu")).strip()),
                    nic.mtu(), nic.name());
        }
    }

    @Test
    void hypervisorIsNamedOrSaidToBeAbsent() throws Exception {
        boolean flag = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .anyMatch(l -> l.startsWith("flags") && (l + " ").contains(" hypervisor "));
        if (flag) {
            assertFalse(MACHINE.hypervisor().equals("none"), "the CPU runs under a hypervisor");
        } else {
            assertEquals("none", MACHINE.hypervisor());
        }
    }

    @Test
    void factsKeepTheKeysSessionsHadAndSummaryReadsAsOneLine() {
        assertTrue(MACHINE.facts().keySet().containsAll(List.of("kernel", "os", "cpu", "cpus", "cpu frequency",
                "memory", "hypervisor", "network interfaces")), MACHINE.facts().toString());
        assertTrue(MACHINE.facts().get("memory").endsWith(" GiB"), MACHINE.facts().toString());
        assertTrue(MACHINE.summary().startsWith("Linux " + MACHINE.kernel() + " ("), MACHINE.summary());
        assertFalse(MACHINE.summary().contains("\n"));
    }

    @Test
    void nicSpeedsInBitsPerSecond() {
        assertEquals("eth0 (MTU 1500, 10 Gbit/s)", new Machine.Nic("eth0", 10_000_000_000L, 1500).describe());
        assertEquals("eth1 (MTU 9000, 100 Mbit/s)", new Machine.Nic("eth1", 100_000_000L, 9000).describe());
        assertEquals("veth0 (MTU 1500, speed unknown)", new Machine.Nic("veth0", 0, 1500).describe());
    }
}
