package io.frostbyte.export.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the local runner needs from the SAM template: functions, their API routes and schedules. */
record Template(List<Function> functions) {
    record Route(String method, String path) {}

    /** {@code s3Prefix}: the function takes S3 ObjectCreated events for keys under this prefix. */
    record Function(String name, String handlerClass, int timeoutSeconds, List<Route> routes, Optional<Duration> schedule,
            Optional<String> s3Prefix) {}

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|second|seconds)\\)");

    static Template read(Path file) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        int defaultTimeout = root.path("Globals").path("Function").path("Timeout").asInt(30);
        List<Function> functions = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> resources = root.path("Resources").fields();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> r = resources.next();
            if (!"AWS::Serverless::Function".equals(r.getValue().path("Type").asText())) continue;
            JsonNode props = r.getValue().path("Properties");
            String handler = props.path("Handler").asText();
            String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            List<Route> routes = new ArrayList<>();
            Optional<Duration> schedule = Optional.empty();
            Optional<String> s3Prefix = Optional.empty();
            Iterator<JsonNode> events = props.path("Events").elements();
            while (events.hasNext()) {
                JsonNode e = events.next();
                String type = e.path("Type").asText();
                if (type.equals("Api")) {
                    routes.add(new Route(e.path("Properties").path("Method").asText().toUpperCase(java.util.Locale.ROOT),
                            e.path("Properties").path("Path").asText()));
                } else if (type.equals("S3")) {
                    String prefix = "";
                    for (JsonNode rule : e.path("Properties").path("Filter").path("S3Key").path("Rules")) {
                        if (rule.path("Name").asText().equalsIgnoreCase("prefix")) prefix = rule.path("Value").asText();
                    }
                    s3Prefix = Optional.of(prefix);
                } else if (type.equals("Schedule") || type.equals("ScheduleV2")) {
                    String expr = e.path("Properties").path(type.equals("Schedule") ? "Schedule" : "ScheduleExpression").asText();
                    Matcher m = RATE.matcher(expr);
                    if (m.matches()) {
                        long n = Long.parseLong(m.group(1));
                        schedule = Optional.of(m.group(2).startsWith("hour") ? Duration.ofHours(n)
                                : m.group(2).startsWith("minute") ? Duration.ofMinutes(n) : Duration.ofSeconds(n));
                    }
                }
            }
            functions.add(new Function(r.getKey(), handlerClass, props.path("Timeout").asInt(defaultTimeout), routes, schedule, s3Prefix));
        }
        return new Template(functions);
    }
}
