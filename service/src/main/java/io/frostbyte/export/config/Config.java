package io.frostbyte.export.config;

import io.frostbyte.export.signing.KeyAlgorithm;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The service's settings, read once per container from environment variables (names in the
 * README). Anything missing or malformed fails at start with one line naming the variable.
 */
public record Config(
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        Optional<String> redisUrl,
        String queueKey,
        Storage storage,
        Optional<String> bucket,
        Optional<Path> storagePath,
        KeyStoreKind keyStore,
        Optional<Path> keyStoreDir,
        String secretPrefix,
        KeyAlgorithm keyAlgorithm,
        Duration downloadUrlTtl,
        Duration lease,
        int maxAttempts,
        int maxDocumentsPerExport,
        int maxExportFiles,
        int compressionLevel,
        Optional<String> localBaseUrl,
        Optional<String> localUrlSecret,
        Optional<String> sseKmsKeyId,
        Optional<String> awsRegion,
        Optional<URI> awsEndpoint,
        Optional<String> workerFunction,
        long maxImportBytes,
        int maxImportExpansion,
        long maxImportPayloadBytes,
        Duration uploadUrlTtl,
        Duration keyMaxAge,
        int keyRecoveryDays,
        String adminGroup,
        int maxRunningPerTenant,
        Duration retryBase,
        Duration retryMax,
        Optional<Duration> bundleRetention,
        Optional<String> databaseSecretArn) {

    /** S3 takes at most 5 GiB in one PUT, and an import's upload URL is one pre-signed PUT. */
    public static final long MAX_SINGLE_PUT_BYTES = 5L * 1024 * 1024 * 1024;

    public enum Storage { S3, LOCAL }

    public enum KeyStoreKind { SECRETSMANAGER, LOCAL }

    public static Config fromEnv() {
        return fromEnv(System.getenv());
    }

    public static Config fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        String[] db = parseDatabaseUrl(r.required("DATABASE_URL"));
        Storage storage = r.choice("FROSTBYTE_STORAGE", Storage.class, Storage.S3);
        Optional<String> bucket = r.optional("FROSTBYTE_BUCKET");
        Optional<Path> storagePath = r.optional("EXPORT_STORAGE_PATH").map(Path::of);
        KeyStoreKind keyStore = r.choice("FROSTBYTE_KEYSTORE", KeyStoreKind.class, KeyStoreKind.SECRETSMANAGER);
        Optional<Path> keyDir = r.optional("FROSTBYTE_KEYSTORE_DIR").map(Path::of);
        KeyAlgorithm alg;
        try {
            alg = KeyAlgorithm.parse(r.optional("FROSTBYTE_KEY_ALGORITHM").orElse("ed25519"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("FROSTBYTE_KEY_ALGORITHM: " + e.getMessage());
        }
        Optional<String> redis = r.optional("REDIS_URL");
        if (redis.isPresent() && !redis.get().startsWith("redis://") && !redis.get().startsWith("rediss://")) {
            // The value may hold a password: it is never echoed.
            throw new ConfigException("REDIS_URL must start with redis:// or rediss://");
        }
        // Read where they act (Logging, Metrics), checked here so that a typo stops the start instead of being ignored.
        r.optional("FROSTBYTE_LOG_LEVEL").filter(v -> io.frostbyte.export.observability.Logging.levelNamed(v).isEmpty())
                .ifPresent(v -> {
                    throw new ConfigException("FROSTBYTE_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got '" + v + "'");
                });
        r.word("FROSTBYTE_METRICS", "on", "off");
        r.word("FROSTBYTE_METRICS_TENANT_DIMENSION", "true", "false");
        Optional<URI> endpoint;
        try {
            endpoint = r.optional("AWS_ENDPOINT_URL").map(URI::create);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("AWS_ENDPOINT_URL is not a URL");
        }
        return new Config(db[0], db[1], db[2], redis,
                r.optional("FROSTBYTE_QUEUE_KEY").orElse("export:jobs"),
                storage, bucket, storagePath, keyStore, keyDir,
                r.optional("FROSTBYTE_SECRET_PREFIX").orElse("frostbyte/tenant-keys/"),
                alg,
                r.duration("FROSTBYTE_DOWNLOAD_URL_TTL", Duration.ofMinutes(15)),
                r.duration("FROSTBYTE_LEASE", Duration.ofMinutes(15)),
                r.integer("FROSTBYTE_MAX_ATTEMPTS", 3, 1, 100),
                r.integer("FROSTBYTE_MAX_DOCUMENTS", 1000, 1, 100_000),
                r.integer("FROSTBYTE_MAX_EXPORT_FILES", io.frostbyte.export.bundle.BundleFormat.MAX_FILES, 1,
                        io.frostbyte.export.bundle.BundleFormat.MAX_FILES),
                r.integer("FROSTBYTE_COMPRESSION_LEVEL", 4, 1, 9),
                r.optional("FROSTBYTE_LOCAL_BASE_URL"),
                r.optional("FROSTBYTE_LOCAL_URL_SECRET"),
                r.optional("FROSTBYTE_SSE_KMS_KEY_ID"),
                r.optional("AWS_REGION"),
                endpoint,
                r.optional("FROSTBYTE_WORKER_FUNCTION"),
                r.longInteger("FROSTBYTE_MAX_IMPORT_BYTES", MAX_SINGLE_PUT_BYTES, 1, MAX_SINGLE_PUT_BYTES),
                r.integer("FROSTBYTE_MAX_IMPORT_EXPANSION", 100, 1, 100_000),
                r.longInteger("FROSTBYTE_MAX_IMPORT_PAYLOAD_BYTES", 20L * 1024 * 1024 * 1024, 1, Long.MAX_VALUE / 2),
                r.duration("FROSTBYTE_UPLOAD_URL_TTL", Duration.ofMinutes(15)),
                r.duration("FROSTBYTE_KEY_MAX_AGE", Duration.ofDays(365)),
                r.integer("FROSTBYTE_KEY_RECOVERY_DAYS", 7, 7, 30),
                r.optional("FROSTBYTE_ADMIN_GROUP").orElse("frostbyte-admin"),
                r.integer("FROSTBYTE_MAX_RUNNING_PER_TENANT", 2, 0, 1000),
                r.duration("FROSTBYTE_RETRY_BASE", Duration.ofSeconds(15)),
                r.duration("FROSTBYTE_RETRY_MAX", Duration.ofMinutes(5)),
                r.optional("FROSTBYTE_BUNDLE_RETENTION_DAYS").isEmpty() ? Optional.empty()
                        : Optional.of(Duration.ofDays(r.integer("FROSTBYTE_BUNDLE_RETENTION_DAYS", 30, 1, 36_500))),
                r.optional("DATABASE_SECRET_ARN"));
    }

    // Each function checks, at start, only what it uses (README: "Configuration").

    /** For functions that enqueue or take jobs. */
    public String requireRedisUrl() {
        return redisUrl.orElseThrow(() -> new ConfigException("REDIS_URL is not set"));
    }

    /** For functions that write bundles or sign their download URLs. */
    public void requireStorage() {
        if (storage == Storage.S3 && bucket.isEmpty()) {
            throw new ConfigException("FROSTBYTE_BUCKET is required when FROSTBYTE_STORAGE=s3");
        }
        if (storage == Storage.S3) requireAwsRegion();
        if (storage == Storage.LOCAL && storagePath.isEmpty()) {
            throw new ConfigException("EXPORT_STORAGE_PATH is required when FROSTBYTE_STORAGE=local");
        }
        if (storage == Storage.LOCAL && localUrlSecret.isEmpty()) {
            throw new ConfigException("FROSTBYTE_LOCAL_URL_SECRET is required when FROSTBYTE_STORAGE=local");
        }
        if (storage == Storage.LOCAL && localUrlSecret.get().length() < 32) {
            // It signs download and upload URLs: a short one can be guessed.
            throw new ConfigException("FROSTBYTE_LOCAL_URL_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)");
        }
    }

    /** For the function that signs bundles. */
    public void requireKeyStore() {
        if (keyStore == KeyStoreKind.LOCAL && keyStoreDir.isEmpty()) {
            throw new ConfigException("FROSTBYTE_KEYSTORE_DIR is required when FROSTBYTE_KEYSTORE=local");
        }
        if (keyStore == KeyStoreKind.SECRETSMANAGER) requireAwsRegion();
    }

    public String requireAwsRegion() {
        return awsRegion.orElseThrow(() -> new ConfigException("AWS_REGION is not set"));
    }

    /** Accepts libpq URIs ({@code postgresql://user:pass@host:port/db}) and JDBC URLs. */
    static String[] parseDatabaseUrl(String url) {
        if (url.startsWith("jdbc:postgresql:")) return new String[] {url, null, null};
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new ConfigException("DATABASE_URL must be postgresql://user:password@host:port/db or jdbc:postgresql:..., got a value of another form");
        }
        try {
            URI uri = new URI(url);
            String user = null;
            String password = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = java.net.URLDecoder.decode(parts[0], java.nio.charset.StandardCharsets.UTF_8);
                if (parts.length > 1) password = java.net.URLDecoder.decode(parts[1], java.nio.charset.StandardCharsets.UTF_8);
            }
            if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
                throw new ConfigException("DATABASE_URL needs a host and a database name");
            }
            String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + uri.getPath()
                    + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            return new String[] {jdbc, user, password};
        } catch (URISyntaxException e) {
            // The message would echo the password; name the variable only.
            throw new ConfigException("DATABASE_URL is not a valid URL");
        }
    }

    private record Reader(Map<String, String> env) {
        Optional<String> optional(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new ConfigException(name + " is not set"));
        }

        <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) return fallback;
            try {
                return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", got '" + v.get() + "'");
            }
        }

        /** One of {@code words} (any case), or unset. */
        void word(String name, String... words) {
            Optional<String> v = optional(name);
            if (v.isPresent() && java.util.Arrays.stream(words).noneMatch(w -> w.equalsIgnoreCase(v.get()))) {
                throw new ConfigException(name + " must be " + String.join(" or ", words) + ", got '" + v.get() + "'");
            }
        }

        int integer(String name, int fallback, int min, int max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) return fallback;
            try {
                int i = Integer.parseInt(v.get());
                if (i < min || i > max) throw new NumberFormatException();
                return i;
            } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be an integer in [" + min + ", " + max + "], got '" + v.get() + "'");
            }
        }

        long longInteger(String name, long fallback, long min, long max) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) return fallback;
            try {
                long i = Long.parseLong(v.get());
                if (i < min || i > max) throw new NumberFormatException();
                return i;
            } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be an integer in [" + min + ", " + max + "], got '" + v.get() + "'");
            }
        }

        /** Seconds ("900"), or ISO-8601 ("PT15M"). */
        Duration duration(String name, Duration fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) return fallback;
            try {
                Duration d = v.get().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v.get())) : Duration.parse(v.get());
                if (d.isNegative() || d.isZero()) throw new IllegalArgumentException();
                return d;
            } catch (RuntimeException e) {
                throw new ConfigException(name + " must be a positive number of seconds or an ISO-8601 duration, got '" + v.get() + "'");
            }
        }
    }
}
