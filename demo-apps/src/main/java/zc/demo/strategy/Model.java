package zc.demo.strategy;

/**
 * What the classic zero-copy table says one chunk of a strategy costs: copies made by the CPU, copies made by DMA
 * engines, system calls and user/kernel mode switches. A model to set beside the measured counters, not a
 * measurement: on loopback, for instance, the "DMA" to the NIC is a CPU copy into the receiver's socket.
 */
public record Model(int cpuCopies, int dmaCopies, int syscallsPerChunk, int modeSwitchesPerChunk, String chunk,
                    String note) {
}
