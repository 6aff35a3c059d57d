package zc.agent.stats;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * The {@link AgentStatsMBean}, registered only once the JVM has an MBean server: zc never creates the platform
 * MBean server itself (that loads about 200 {@code java.management} classes the application may never need, and
 * could initialise JMX before an application server installs its own MBeanServerBuilder). Whoever wants to read the
 * MBean brings the server: the application, JConsole or jcmd (both start the JVM's management agent), or a test
 * that calls {@code ManagementFactory.getPlatformMBeanServer()}. A daemon thread of zc's looks once a second.
 */
public final class AgentStats implements AgentStatsMBean {
    public static final String NAME = "zc:type=Agent";
    private static final long POLL_MILLIS = 1000;

    private final String options;
    private final String mode;

    private AgentStats(String options, String mode) {
        this.options = options;
        this.mode = mode;
    }

    public static void registerLater(String options, String mode) {
        if (ModuleLayer.boot().findModule("java.management").isEmpty()) {
            return; // no JMX in this run (an image made without it, --limit-modules): nothing to register with
        }
        Thread t = new Thread(new Registration(options, mode), "zc-agent-jmx");
        t.setDaemon(true);
        t.start();
    }

    /** Waits for an MBean server to exist, then registers the MBean in the platform one. */
    private record Registration(String options, String mode) implements Runnable {
        @Override
        public void run() {
            try {
                // MBeanServerFactory lists the servers created so far without creating one; the platform server
                // is created through it.
                while (javax.management.MBeanServerFactory.findMBeanServer(null).isEmpty()) {
                    Thread.sleep(POLL_MILLIS);
                }
                ManagementFactory.getPlatformMBeanServer().registerMBean(new AgentStats(options, mode),
                        new ObjectName(NAME));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                Stats.error("registering the JMX MBean", t);
            }
        }
    }

    @Override
    public int getSitesSeen() {
        return Totals.now().seen();
    }

    @Override
    public int getSitesRewritten() {
        return Totals.now().rewritten();
    }

    @Override
    public long getCalls() {
        return Totals.now().calls();
    }

    @Override
    public long getBytesSendfile() {
        return Totals.now().sendfileBytes();
    }

    @Override
    public long getBytesMmap() {
        return Totals.now().mmapBytes();
    }

    @Override
    public long getBytesDirect() {
        return Totals.now().directBytes();
    }

    @Override
    public long getBytesLoop() {
        return Totals.now().loopBytes();
    }

    @Override
    public long getFallbacks() {
        return Totals.now().fallbacks();
    }

    @Override
    public int getSitesObserved() {
        return sitesWith(CallSite.Status.OBSERVED);
    }

    @Override
    public int getSitesDeclined() {
        return sitesWith(CallSite.Status.DECLINED);
    }

    @Override
    public long getBytesWouldMove() {
        long n = 0;
        for (int id : Stats.ids()) {
            n += Stats.counters(id).wouldBytes();
        }
        return n;
    }

    @Override
    public int getErrors() {
        return Stats.errors().size();
    }

    @Override
    public String getStatsJson() {
        return StatsJson.render(options, mode);
    }

    private static int sitesWith(CallSite.Status status) {
        int n = 0;
        for (int id : Stats.ids()) {
            n += Stats.site(id).status() == status ? 1 : 0;
        }
        return n;
    }
}
