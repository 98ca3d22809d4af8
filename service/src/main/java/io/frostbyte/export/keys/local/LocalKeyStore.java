package io.frostbyte.export.keys.local;

import io.frostbyte.export.keys.TenantKeyStore;
import io.frostbyte.export.signing.KeyMaterialException;
import io.frostbyte.export.signing.TenantSigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.UUID;

/**
 * One file per key, {@code {dir}/{tenant_id}/{fingerprint}.asc}, mode 0600, created atomically and
 * deleted when the key is destroyed. Keys made before rotation existed are {@code {dir}/{tenant_id}.asc}.
 */
public final class LocalKeyStore implements TenantKeyStore {
    private final Path dir;

    public LocalKeyStore(Path dir) {
        this.dir = dir;
    }

    private Path file(UUID tenant, String fingerprint) {
        return dir.resolve(tenant.toString()).resolve(fingerprint + ".asc");
    }

    private Path legacyFile(UUID tenant) {
        return dir.resolve(tenant + ".asc");
    }

    @Override
    public Optional<String> get(UUID tenant, String fingerprint) throws IOException {
        Path f = file(tenant, fingerprint);
        if (Files.isRegularFile(f)) return Optional.of(Files.readString(f, StandardCharsets.US_ASCII));
        return legacy(tenant, fingerprint);
    }

    private Optional<String> legacy(UUID tenant, String fingerprint) throws IOException {
        Path f = legacyFile(tenant);
        if (!Files.isRegularFile(f)) return Optional.empty();
        String armored = Files.readString(f, StandardCharsets.US_ASCII);
        try {
            return TenantSigningKey.fromSecretKey(armored).fingerprint().equals(fingerprint) ? Optional.of(armored) : Optional.empty();
        } catch (KeyMaterialException e) {
            throw new IOException("key file " + f + " holds no readable key", e);
        }
    }

    @Override
    public void put(UUID tenant, String fingerprint, String armoredSecretKey) throws IOException {
        Path target = file(tenant, fingerprint);
        var owner = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir, owner);
        Files.createDirectories(target.getParent(), owner);
        Path temp = Files.createTempFile(target.getParent(), "." + fingerprint, ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, armoredSecretKey, StandardCharsets.US_ASCII);
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            if (!Files.readString(target, StandardCharsets.US_ASCII).equals(armoredSecretKey)) {
                throw new IOException("key file " + target + " exists with other contents", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void destroy(UUID tenant, String fingerprint) throws IOException {
        Files.deleteIfExists(file(tenant, fingerprint));
        if (legacy(tenant, fingerprint).isPresent()) Files.deleteIfExists(legacyFile(tenant));
    }
}
