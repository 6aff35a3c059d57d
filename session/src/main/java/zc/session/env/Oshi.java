package zc.session.env;

import oshi.SystemInfo;
import oshi.util.GlobalConfig;

/**
 * The one OSHI {@link SystemInfo} of the CLI process, configured before first use. OSHI's defaults leave out the
 * file systems that decide what zero-copy does (overlay, the tmpfs under /run and /dev/shm): they are put back, so
 * that a file moved on them is reported on them and not on the file system mounted below.
 */
final class Oshi {
    /** Pseudo file systems only: OSHI's own list (oshi.properties) less overlay, which holds real files. */
    private static final String PSEUDO = "anon_inodefs,autofs,bdev,binfmt_misc,bpf,cgroup,cgroup2,configfs,cpuset,"
            + "debugfs,devpts,drm,efivarfs,fusectl,hugetlbfs,inotifyfs,mqueue,nfsd,proc,procfs,pstore,rpc_pipefs,"
            + "securityfs,selinuxfs,sunrpc,sysfs,systemd-1,tracefs,usbfs";
    private static SystemInfo system;

    private Oshi() {
    }

    static synchronized SystemInfo system() {
        if (system == null) {
            // read by OSHI's file system classes when they are first initialised: set before anything touches them
            GlobalConfig.set("oshi.pseudo.filesystem.types", PSEUDO);
            GlobalConfig.set("oshi.os.linux.filesystem.path.excludes", "/proc**,/sys**");
            system = new SystemInfo();
        }
        return system;
    }
}
