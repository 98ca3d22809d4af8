package io.frostbyte.export.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** The event fixtures of {@code events/} (what API Gateway and EventBridge send), for handler tests. */
public final class Events {
    /** The tenant in the fixtures' authorizer claims and paths. */
    public static final UUID TENANT = UUID.fromString("0b8f5d2c-7e4a-4f3b-8c9d-1a2b3c4d5e6f");
    /** The document create-export.json asks for. */
    public static final UUID DOCUMENT = UUID.fromString("6f1c2a8e-3b7d-4c1e-9a2f-0d5e8b7c6a41");
    /** The export get-export.json reads. */
    public static final UUID EXPORT = UUID.fromString("3f1c2a4e-8b7d-4e21-9a6f-0c5d7e8f9a10");

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Events() {}

    static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("events").resolve(name);
            if (Files.isRegularFile(f)) return f;
        }
        throw new AssertionError("events/" + name + " not found above " + Path.of("").toAbsolutePath());
    }

    public static APIGatewayProxyRequestEvent apiGateway(String name) {
        try {
            return JSON.readValue(file(name).toFile(), APIGatewayProxyRequestEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(String name) {
        try {
            return JSON.readValue(file(name).toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
