package zc.corpus;

import com.sun.tools.attach.VirtualMachine;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For AgentBehaviourIT: the JDK's {@code ChannelInputStream} is loaded before zc (a file stream opened and closed),
 * then zc is attached to this JVM ({@code -Djdk.attach.allowAttachSelf=true}), then {@code transferTo} copies
 * {@code args[0]} into {@code args[1]}: zc must hook the class by retransformation, as it hooks it at load time when
 * started with the JVM. Prints {@code moved N}. Arguments: source, target, agent jar, agent options.
 */
public final class CalleeAfterAttach {
    private CalleeAfterAttach() {
    }

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Files.newInputStream(source).close();
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(args[2], args[3]);
        } finally {
            vm.detach();
        }
        try (InputStream in = Files.newInputStream(source); OutputStream out = new FileOutputStream(args[1])) {
            System.out.println("moved " + in.transferTo(out));
        }
    }
}
