package zc.agent.stats;

/**
 * The agent's statistics over JMX, as {@code zc:type=Agent} (jconsole, JMC, jcmd-based tools): live totals, and
 * the full per-call-site statistics as the same JSON the agent writes at exit. Every attribute but StatsJson is a
 * number, so that metrics exporters (the Prometheus JMX exporter, the OpenTelemetry Java agent's JMX metrics; rule
 * files in docs/metrics) can read them; the byte and call counts only grow.
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

    /** Sites left as written in mode=observe that a rewrite would take. */
    int getSitesObserved();

    /** Sites that cannot be rewritten; each one's reason is in {@link #getStatsJson()}. */
    int getSitesDeclined();

    /** mode=observe: bytes a rewrite would have moved zero-copy (the original code moved them). */
    long getBytesWouldMove();

    /** Distinct failures inside zc so far (each left the code as it was); listed in {@link #getStatsJson()}. */
    int getErrors();

    String getStatsJson();
}
