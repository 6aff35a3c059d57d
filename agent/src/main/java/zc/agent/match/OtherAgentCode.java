package zc.agent.match;

/**
 * The code of another Java agent, which zc leaves alone. Agents that isolate themselves (the OpenTelemetry Java
 * agent's {@code AgentClassLoader}, which loads its ByteBuddy, ASM and instrumentation classes) put their class
 * loader on the boot class path: a loader whose own class the boot loader defined, and which is not one of the
 * JDK's. Their code runs inside class loading (their transformers), where zc's dispatcher has no business; seen:
 * zc rewrote ByteBuddy's {@code DynamicType$AbstractBase.doInject} in the OpenTelemetry agent's loader.
 */
final class OtherAgentCode {
    private OtherAgentCode() {
    }

    static boolean definedBy(ClassLoader loader) {
        Class<?> type = loader.getClass();
        String name = type.getName();
        return type.getClassLoader() == null && !name.startsWith("java.") && !name.startsWith("jdk.")
                && !name.startsWith("sun.") && !name.startsWith("zc.");
    }
}
