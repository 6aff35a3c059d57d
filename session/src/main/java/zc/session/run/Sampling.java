package zc.session.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import zc.proc.Counters;
import zc.session.proc.ExitSnapshot;
import zc.session.proc.ProcSampler;

/**
 * Samples the target JVM every 50 ms on its own thread and appends each sample to the run's proc.jsonl; also
 * samples on demand (at the edges of a workload) and merges the JVM's own snapshot at exit.
 */
final class Sampling implements AutoCloseable {
    static final long INTERVAL_MILLIS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcSampler sampler;
    private final BufferedWriter log;
    private final Thread thread;
    private volatile boolean running = true;
    private Counters latest;

    Sampling(long pid, Path jsonl) throws IOException {
        this.sampler = new ProcSampler(pid);
        this.log = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8);
        this.thread = new Thread(this::loop, "zc-proc-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                sample();
                Thread.sleep(INTERVAL_MILLIS);
            } catch (IOException gone) {
                return;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A sample now; throws once the process is gone. */
    synchronized Counters sample() throws IOException {
        latest = sampler.sample();
        log.write(JSON.writeValueAsString(latest));
        log.newLine();
        return latest;
    }

    synchronized Counters latest() {
        return latest;
    }

    synchronized Counters atExit(ExitSnapshot exit) {
        return sampler.atExit(exit);
    }

    @Override
    public void close() throws IOException {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            log.close();
        }
    }
}
