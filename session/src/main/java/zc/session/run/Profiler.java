package zc.session.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import zc.session.model.ProfileInfo;

/**
 * async-profiler in every run: its native library comes from the tools.profiler:async-profiler jar on zc's class
 * path, is extracted once, and is loaded into the target with -agentpath, recording {@code event=cpu} to JFR. As root
 * the cpu event uses perf_events and sees kernel frames; otherwise async-profiler falls back to a timer (ctimer,
 * itimer) that cannot see them, and the run's profile says which engine ran.
 */
final class Profiler {
    /** Kernel functions that copy bytes between user memory and the kernel (or within it). */
    static final Pattern KERNEL_COPY = Pattern.compile(
            "(_copy_to_iter|_copy_from_iter|copy_user_|copy_page_to_iter|copy_page_from_iter|copy_folio|"
                    + "copyin|copyout|rep_movs_alternative|memcpy_orig)[^;]*_\\[k\\]");

    private Profiler() {
    }

    /** The profiler library for this machine, extracted under {@code cache}; null where there is none. */
    static Path library(Path cache) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "linux-arm64" : "linux-x64";
        Path lib = cache.resolve("async-profiler-4.2").resolve(arch).resolve("libasyncProfiler.so");
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        try (InputStream in = Profiler.class.getClassLoader().getResourceAsStream(arch + "/libasyncProfiler.so")) {
            if (in == null) {
                return null;
            }
            Files.createDirectories(lib.getParent());
            Path tmp = lib.resolveSibling("lib-" + ProcessHandle.current().pid() + ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, lib, StandardCopyOption.REPLACE_EXISTING);
        }
        return lib;
    }

    /**
     * Samples every 10 ms (async-profiler's default). Each sample is a signal to the running thread, and a signal
     * ends a blocking sendfile early with a partial count: at 1 ms a 1 GiB sendfile became about 120 calls.
     */
    static String agentpath(Path lib, Path runDir, String moreEvents) {
        return "-agentpath:" + lib + "=start,event=cpu,interval=10ms" + moreEvents + ",file="
                + runDir.resolve("profile-%p.jfr") + ",jfr";
    }

    /** Converts the JVM's recording to collapsed stacks and counts what they show. */
    static ProfileInfo summarise(Path sessionDir, Path runDir, long pid) {
        Path jfr = runDir.resolve("profile-" + pid + ".jfr");
        if (!Files.isRegularFile(jfr)) {
            return null;
        }
        Path collapsed = runDir.resolve("collapsed.txt");
        long samples = 0;
        long kernelCopy = 0;
        boolean kernelFrames = false;
        try {
            Arguments args = new Arguments();
            args.output = "collapsed";
            JfrToFlame.convert(jfr.toString(), collapsed.toString(), args);
            for (String line : Files.readAllLines(collapsed)) {
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    continue;
                }
                long n = Long.parseLong(line.substring(space + 1));
                samples += n;
                kernelFrames |= line.contains("_[k]");
                if (KERNEL_COPY.matcher(line).find()) {
                    kernelCopy += n;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new ProfileInfo("unknown", sessionDir.relativize(jfr).toString(), null, 0, 0);
        }
        String engine = kernelFrames ? "perf_events" : "ctimer or itimer (no kernel frames: not root?)";
        return new ProfileInfo(engine, sessionDir.relativize(jfr).toString(),
                sessionDir.relativize(collapsed).toString(), samples, kernelCopy);
    }
}
