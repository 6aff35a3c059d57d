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

    /**
     * Flags of every demo JVM: a fixed, pre-touched heap keeps the first-touch page faults of heap growth out of
     * the fault counts; native access for JNA (getrusage, splice) without JDK 24+'s warning.
     */
    static final List<String> JVM_FLAGS = List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch",
            "--enable-native-access=ALL-UNNAMED");
}
