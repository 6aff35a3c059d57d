package zc.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JavaSignatureTest {

    @Test
    void descriptorsReadAsJava() {
        assertEquals("serve(Socket, File)", JavaSignature.of("a.B", "serve(Ljava/net/Socket;Ljava/io/File;)V"));
        assertEquals("copy(InputStream, OutputStream, byte[], int)",
                JavaSignature.of("a.B", "copy(Ljava/io/InputStream;Ljava/io/OutputStream;[BI)J"));
        assertEquals("run()", JavaSignature.of("a.B", "run()V"));
        assertEquals("send(Response.Body, long[][], boolean)",
                JavaSignature.of("a.B", "send(Lfi/iki/Response$Body;[[JZ)V"));
        assertEquals("Worker(String)", JavaSignature.of("com.acme.Worker", "<init>(Ljava/lang/String;)V"));
    }

    @Test
    void otherTextStaysAsItIs() {
        assertEquals("copy", JavaSignature.of("a.B", "copy"));
        assertEquals("copy(Q)V", JavaSignature.of("a.B", "copy(Q)V"));
        assertEquals("copy(Ljava/io/File)V", JavaSignature.of("a.B", "copy(Ljava/io/File)V"));
    }
}
