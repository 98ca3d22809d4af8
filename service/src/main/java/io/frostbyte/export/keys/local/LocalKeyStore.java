package io.frostbyte.export.keys.local;

import io.frostbyte.export.keys.TenantKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;

/** One file per tenant, {@code {dir}/{tenant_id}.asc}, mode 0600, created atomically. */
public final class LocalKeyStore implements TenantKeyStore {
    private final Path dir;

    public LocalKeyStore(Path dir) {
        this.dir = dir;
    }

    private Path file(UUID tenant) {
        return dir.resolve(tenant + ".asc");
    }

    @Override
    public Optional<String> get(UUID tenant) throws IOException {
        Path f = file(tenant);
        return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.US_ASCII)) : Optional.empty();
    }

    @Override
    public String putIfAbsent(UUID tenant, String armoredSecretKey) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path temp = Files.createTempFile(dir, "." + tenant, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, armoredSecretKey, StandardCharsets.US_ASCII);
            // A hard link fails if the name exists, so of two racing workers exactly one wins.
            Files.createLink(file(tenant), temp);
            return armoredSecretKey;
        } catch (FileAlreadyExistsException e) {
            return get(tenant).orElseThrow(() -> new IOException("key file vanished for tenant " + tenant));
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
