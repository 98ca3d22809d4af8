package io.frostbyte.export.queue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.frostbyte.export.queue.JobQueue;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rediss:// checks the server's name: a certificate the client trusts, issued for another name, is refused. */
class RespJobPublisherTlsTest {
    @TempDir Path dir;

    KeyStore keyStore(String san) throws Exception {
        Path ks = dir.resolve(UUID.randomUUID() + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", "s",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=redis", "-ext", "SAN=" + san, "-validity", "2",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        KeyStore k = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            k.load(in, "changeit".toCharArray());
        }
        return k;
    }

    /** A TLS server answering every RESP command with ":1"; returns its port. */
    static int serve(KeyStore ks, AtomicInteger commands) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (true) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    byte[] buf = new byte[4096];
                    int n = in.read(buf);
                    if (n > 0 && buf[0] == '*') {
                        commands.incrementAndGet();
                        out.write(":1\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (Exception e) {
                    if (server.isClosed()) return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server.getLocalPort();
    }

    static javax.net.ssl.SSLSocketFactory trusting(KeyStore ks) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    @Test
    void push_trustedCertificateForAnotherName_refused_forThisName_accepted() throws Exception {
        JobQueue.Message m = new JobQueue.Message(UUID.randomUUID(), UUID.randomUUID());
        AtomicInteger commands = new AtomicInteger();

        KeyStore other = keyStore("dns:redis.other.invalid");
        int port = serve(other, commands);
        RespJobPublisher wrongName = new RespJobPublisher("rediss://127.0.0.1:" + port + "/0", "k", trusting(other));
        var e = assertThrows(java.io.UncheckedIOException.class, () -> wrongName.push(m));
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertEquals(0, commands.get(), "nothing was sent to a server that is not the one named");

        KeyStore right = keyStore("ip:127.0.0.1");
        int port2 = serve(right, commands);
        new RespJobPublisher("rediss://127.0.0.1:" + port2 + "/0", "k", trusting(right)).push(m);
        assertEquals(1, commands.get());
    }
}
