package zc.session.model;

import java.util.List;
import java.util.Map;
import zc.session.stats.Comparison;

/**
 * An A/B session, as {@code session.json} (schema {@value #SCHEMA}, documented in docs/session.md and
 * docs/session-schema.json).
 *
 * @param complete    false while running, after a failure or an interruption: what is here is what was measured
 * @param command     the application's command line, each argument as given
 * @param a           agent options (and JVM flags) of side A
 * @param b           of side B
 * @param workload    how the application was driven, in words
 * @param injection   how the agent and profiler reached the JVM
 * @param comparisons one per metric, B against A per GiB moved
 * @param diffFlameGraph per-GiB differential stacks (collapsed "stack A B"), relative path, or null
 * @param syscalls    per side, calls per system call from an extra untimed run under strace -f -c; null without
 */
public record Session(String schema, String label, String createdAt, boolean complete, String error,
                      List<String> command, String a, String b, String workload, String injection, int pairs,
                      Map<String, String> environment, List<RunRecord> runs, List<Comparison> comparisons,
                      List<String> warnings, String diffFlameGraph, Map<String, Map<String, Long>> syscalls) {

    public static final String SCHEMA = "zc-ab-session/1";
}
