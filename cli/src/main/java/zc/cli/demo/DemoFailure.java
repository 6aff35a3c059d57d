package zc.cli.demo;

import zc.cli.ExitCodes;
import zc.cli.ZcException;

/** A demo JVM failed, timed out, or reported an error. */
final class DemoFailure extends ZcException {
    DemoFailure(String message) {
        super(ExitCodes.FAILED, message);
    }
}
