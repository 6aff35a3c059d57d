package zc.agent.stats;

/**
 * The agent's statistics over JMX, as {@code zc:type=Agent} (jconsole, JMC, jcmd-based tools): live totals, and
 * the full per-call-site statistics as the same JSON the agent writes at exit.
 */
public interface AgentStatsMBean {
    int getSitesSeen();

    int getSitesRewritten();

    long getCalls();

    long getBytesSendfile();

    long getBytesMmap();

    /** Bytes received socket -> file through zc's direct buffer (Files.copy(InputStream, Path)). */
    long getBytesDirect();

    long getBytesLoop();

    long getFallbacks();

    String getStatsJson();
}
