package zc.session.run;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** How a run drives the application. */
public sealed interface Workload {

    String describe();

    /** The application does its work and exits by itself. */
    record AppRuns() implements Workload {
        @Override
        public String describe() {
            return "the application runs to completion";
        }
    }

    /** zc sends GETs with {@code concurrency} clients for a duration or a number of requests. */
    record Http(List<URI> urls, int concurrency, Duration duration, long requests, String sha256) implements Workload {
        @Override
        public String describe() {
            return "HTTP GET " + urls + " x " + concurrency + " clients, "
                    + (requests > 0 ? requests + " requests" : duration.toSeconds() + " s")
                    + (sha256 == null ? ", length checked" : ", length and sha256 checked");
        }
    }

    /** A shell command run against the ready application. */
    record Command(String shell) implements Workload {
        @Override
        public String describe() {
            return "sh -c " + shell;
        }
    }
}
