package io.frostbyte.export.queue.redis;

import io.frostbyte.export.queue.JobPublisher;
import io.frostbyte.export.queue.JobQueue;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocketFactory;

/**
 * Enqueues with one {@code RPUSH} over a plain socket speaking RESP2. The API function only ever
 * pushes; Lettuce's Netty start-up cost it about a second of cold start, this costs a connect.
 * The worker, which needs {@code LMOVE} and friends, uses {@link RedisJobQueue}.
 */
public final class RespJobPublisher implements JobPublisher, AutoCloseable {
    private final URI uri;
    private final String key;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private final SSLSocketFactory sslFactory;

    public RespJobPublisher(String redisUrl, String key) {
        this(redisUrl, key, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** {@code sslFactory}: whose trust decides {@code rediss://} servers (tests pass one trusting their own CA). */
    public RespJobPublisher(String redisUrl, String key, SSLSocketFactory sslFactory) {
        this.uri = URI.create(redisUrl);
        this.key = key;
        this.sslFactory = sslFactory;
    }

    @Override
    public synchronized void push(JobQueue.Message m) {
        try {
            command("RPUSH", key, Payloads.encode(m));
        } catch (IOException first) {
            close();
            try {
                command("RPUSH", key, Payloads.encode(m)); // one reconnect: a container's idle socket may have been dropped
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("cannot push to Redis at " + uri.getHost() + ":" + port() + ": " + e.getMessage(), e);
            }
        }
    }

    private int port() {
        return uri.getPort() > 0 ? uri.getPort() : 6379;
    }

    private void connect() throws IOException {
        Socket s = "rediss".equals(uri.getScheme()) ? tls(uri.getHost()) : new Socket();
        s.connect(new InetSocketAddress(uri.getHost(), port()), 3000);
        if (s instanceof javax.net.ssl.SSLSocket ssl) ssl.startHandshake();
        s.setSoTimeout(5000);
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
        if (uri.getRawUserInfo() != null) {
            String[] auth = uri.getRawUserInfo().split(":", 2);
            String password = URLDecoder.decode(auth.length > 1 ? auth[1] : auth[0], StandardCharsets.UTF_8);
            if (auth.length > 1 && !auth[0].isEmpty()) send("AUTH", URLDecoder.decode(auth[0], StandardCharsets.UTF_8), password);
            else send("AUTH", password);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replace("/", "");
        if (!path.isEmpty() && !path.equals("0")) send("SELECT", path);
    }

    /**
     * A TLS socket that checks the server's certificate names {@code host} (HTTPS endpoint
     * identification): a trusted certificate for another name is refused, as for any TLS client.
     */
    private javax.net.ssl.SSLSocket tls(String host) throws IOException {
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) sslFactory.createSocket();
        javax.net.ssl.SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
        s.setSSLParameters(p);
        return s;
    }

    private void command(String... args) throws IOException {
        if (socket == null) connect();
        send(args);
    }

    private void send(String... args) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(b.toByteArray());
        out.flush();
        String reply = readLine();
        if (reply.startsWith("-")) throw new IOException("Redis refused " + args[0] + ": " + reply.substring(1));
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) throw new IOException("Redis closed the connection");
            line.append((char) c);
        }
        if (in.read() != '\n') throw new IOException("malformed Redis reply");
        return line.toString();
    }

    @Override
    public synchronized void close() {
        try {
            if (socket != null) socket.close();
        } catch (IOException ignored) {
            // Closing a broken socket.
        }
        socket = null;
    }
}
