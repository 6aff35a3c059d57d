package zc.session.env;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oshi.hardware.CentralProcessor;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OperatingSystem;
import oshi.util.VirtualizationDetector;

/**
 * The machine a measurement ran on, printed beside every figure (demo tables, A/B sessions, the benchmark matrix),
 * read through OSHI: CPU model, cores, frequency, memory, operating system and kernel, hypervisor, and each
 * network interface's speed and MTU. Unknown values stay unknown ({@code 0} or {@code "?"}), never guessed.
 *
 * @param frequencyHz the CPU's maximum frequency, else its nominal one, else the current one of its first CPU
 * @param hypervisor  what runs this machine: a name OSHI recognises, {@code "unnamed"} when the CPU only says it runs
 *                    under one, {@code "none"} on bare metal
 */
public record Machine(String cpu, int cores, int cpus, long frequencyHz, long memoryBytes, String os, String kernel,
                      String hypervisor, List<Nic> nics) {

    /** A network interface: speed in bit/s (0: the driver does not say, as virtio's), MTU in bytes. */
    public record Nic(String name, long speedBitsPerSecond, long mtu) {
        public String describe() {
            return name + " (MTU " + mtu + ", " + (speedBitsPerSecond > 0 ? bitRate(speedBitsPerSecond)
                    : "speed unknown") + ")";
        }
    }

    public static Machine probe() {
        HardwareAbstractionLayer hal = Oshi.system().getHardware();
        OperatingSystem os = Oshi.system().getOperatingSystem();
        CentralProcessor cpu = hal.getProcessor();
        List<Nic> nics = new ArrayList<>();
        for (NetworkIF nic : hal.getNetworkIFs(true)) {
            nics.add(new Nic(nic.getName(), nic.getSpeed(), nic.getMTU()));
        }
        return new Machine(cpu.getProcessorIdentifier().getName().strip(), cpu.getPhysicalProcessorCount(),
                cpu.getLogicalProcessorCount(), frequency(cpu), hal.getMemory().getTotal(),
                os.getFamily() + " " + os.getVersionInfo().getVersion(), os.getVersionInfo().getBuildNumber(),
                hypervisor(hal, cpu), List.copyOf(nics));
    }

    private static long frequency(CentralProcessor cpu) {
        if (cpu.getMaxFreq() > 0) {
            return cpu.getMaxFreq();
        }
        if (cpu.getProcessorIdentifier().getVendorFreq() > 0) {
            return cpu.getProcessorIdentifier().getVendorFreq();
        }
        long[] current = cpu.getCurrentFreq();
        return current.length > 0 && current[0] > 0 ? current[0] : 0;
    }

    private static String hypervisor(HardwareAbstractionLayer hal, CentralProcessor cpu) {
        return VirtualizationDetector.identify(hal).orElseGet(() -> cpu.getFeatureFlags().stream()
                .anyMatch(flags -> (" " + flags + " ").contains(" hypervisor ")) ? "unnamed" : "none");
    }

    /** The facts by name, for session files and reports (kernel, cpu, cpus and memory as before OSHI). */
    public Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kernel", kernel);
        m.put("os", os);
        m.put("cpu", cpu);
        m.put("cpus", cpus + " (" + cores + " cores)");
        m.put("cpu frequency", frequencyHz > 0 ? String.format(Locale.ROOT, "%.2f GHz", frequencyHz / 1e9) : "?");
        m.put("memory", gib(memoryBytes));
        m.put("hypervisor", hypervisor);
        m.put("network interfaces", String.join(", ", nics.stream().map(Nic::describe).toList()));
        return m;
    }

    /** One line: {@code Linux 6.18 (Debian GNU/Linux 12), AMD EPYC (2 cores, 2 CPUs, 2.60 GHz), 23.5 GiB RAM, ...}. */
    public String summary() {
        Map<String, String> f = facts();
        return summary(kernel, os, cpu, cores, cpus, f.get("cpu frequency"), f.get("memory"), hypervisor);
    }

    public static String summary(String kernel, String os, String cpu, int cores, int cpus, String frequency,
                                 String memory, String hypervisor) {
        return "Linux " + kernel + " (" + os + "), " + cpu + " (" + cores + " cores, " + cpus + " CPUs, " + frequency
                + "), " + memory + " RAM, hypervisor " + hypervisor;
    }

    static String gib(long bytes) {
        return bytes > 0 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30)) : "?";
    }

    static String bitRate(long bitsPerSecond) {
        return bitsPerSecond >= 1_000_000_000 ? String.format(Locale.ROOT, "%.0f Gbit/s", bitsPerSecond / 1e9)
                : String.format(Locale.ROOT, "%.0f Mbit/s", bitsPerSecond / 1e6);
    }
}
