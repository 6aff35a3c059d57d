package zc.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * One copy the agent handled: a rewritten loop or helper call, whether it went zero-copy or kept the original
 * code, with its call site. Costs nothing unless a recording enables it ({@code jfr print --events zc.Copy}).
 */
@Name("zc.Copy")
@Label("zc Copy")
@Category({"zc", "I/O"})
@Description("A copy loop or copy helper handled by zc-agent")
@StackTrace(false)
public final class CopyEvent extends Event {
    @Label("Class")
    public String className;

    @Label("Method")
    public String method;

    @Label("Line")
    public int line;

    @Label("Shape")
    @Description("The loop or helper call as source code")
    public String shape;

    @Label("Path")
    @Description("sendfile, mmap, or loop (the original code ran)")
    public String path;

    @Label("Bytes")
    @DataAmount
    public long bytes;

    @Label("Declined")
    @Description("Why the call kept the original code, if it did")
    public String declined;
}
