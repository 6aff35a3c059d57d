package zc.servers;

import java.nio.file.Path;
import java.util.List;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;

/**
 * Apache FtpServer embedded, as its documentation shows: one listener on 127.0.0.1 (an ephemeral port, passive
 * data connections on 127.0.0.1) and one user whose home is the folder to serve. Prints {@code PORT n} when ready;
 * runs until the JVM is told to stop.
 */
public final class FtpServerMain {
    private FtpServerMain() {
    }

    public static void main(String[] args) throws Exception {
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        factory.addListener("default", listener.createListener());
        BaseUser user = new BaseUser();
        user.setName("zc");
        user.setPassword("zc");
        user.setHomeDirectory(Path.of(args[0]).toAbsolutePath().toString());
        user.setAuthorities(List.<Authority>of(new ConcurrentLoginPermission(0, 0)));
        factory.getUserManager().save(user);
        FtpServer server = factory.createServer();
        server.start();
        System.out.println("PORT " + factory.getListener("default").getPort());
    }
}
