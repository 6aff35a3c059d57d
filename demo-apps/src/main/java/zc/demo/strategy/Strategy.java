package zc.demo.strategy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The strategies of the zero-copy table, in lesson order. Ids are the ones used in every JSON file, report and
 * command line of zc.
 */
public enum Strategy {
    READ_WRITE("read-write", Demo01ReadWrite::new, null,
            new Model(2, 2, 2, 4, "buffer (64 KiB)", "read(2) then write(2); Java adds a heap<->native memcpy each way")),
    MMAP_WRITE("mmap-write", Demo02MmapWrite::new, null,
            new Model(1, 2, 1, 2, "mapped region", "mmap(2) once per region, then write(2); page faults replace read")),
    SENDFILE("sendfile", Demo03Sendfile::new, null,
            new Model(1, 2, 1, 2, "whole file", "sendfile(2): page cache -> socket buffer inside the kernel")),
    SENDFILE_GATHER("sendfile-gather", Demo04SendfileGather::new, null,
            new Model(0, 2, 1, 2, "whole file", "sendfile(2) with NIC scatter-gather: the NIC reads page cache pages")),
    SPLICE("splice", Demo05Splice::new, null,
            new Model(0, 2, 2, 4, "pipe (1 MiB)", "splice(2) file -> pipe -> socket; pages move by reference")),
    FILE_READ_WRITE("file-read-write", null, Demo06FileReadWrite::new,
            new Model(2, 2, 2, 4, "buffer (64 KiB)", "file -> file through a user buffer")),
    FILE_TRANSFER("file-transfer", null, Demo07FileTransfer::new,
            new Model(1, 2, 1, 2, "whole file", "FileChannel.transferTo: sendfile (JDK 17), copy_file_range (JDK 25)"));

    private final String id;
    private final Supplier<NetworkSender> sender;
    private final Supplier<FileCopier> copier;
    private final Model model;

    Strategy(String id, Supplier<NetworkSender> sender, Supplier<FileCopier> copier, Model model) {
        this.id = id;
        this.sender = sender;
        this.copier = copier;
        this.model = model;
    }

    public String id() {
        return id;
    }

    public Model model() {
        return model;
    }

    /** True when the strategy sends over TCP to a receiver JVM; false for file -> file copies. */
    public boolean network() {
        return sender != null;
    }

    public NetworkSender newSender() {
        return sender.get();
    }

    public FileCopier newCopier() {
        return copier.get();
    }

    public static Optional<Strategy> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(Strategy::id).toList();
    }
}
