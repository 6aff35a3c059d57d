package zc.session.model;

/**
 * @param engine    what async-profiler sampled with: "perf_events" (kernel frames), "ctimer" or "itimer" (none)
 * @param jfr       the recording, relative to the session folder
 * @param collapsed collapsed stacks converted from it, or null when conversion failed
 * @param samples   samples in the collapsed stacks
 * @param kernelCopyFrames samples with a kernel copy frame (_copy_to_iter, copy_user..., memcpy_orig...)
 */
public record ProfileInfo(String engine, String jfr, String collapsed, long samples, long kernelCopyFrames) {
}
