package zc.cli.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * How demo JVMs are launched.
 *
 * @param java           the java binary of the demo JVMs
 * @param jvmFlags       flags for every demo JVM
 * @param classPath      where DemoMain and its dependencies are
 * @param host           the address receivers bind and senders connect to
 * @param receiverPrefix command words before the receiver's java (e.g. {@code ip netns exec NS}); empty for none
 * @param options        strategy options passed to senders (--buffer, --chunk, --pipe)
 * @param workDir        where file -> file demos write their copies
 */
record DemoSetup(Path java, List<String> jvmFlags, String classPath, String host, List<String> receiverPrefix,
                 List<String> options, Path workDir) {
}
