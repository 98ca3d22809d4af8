package io.frostbyte.export.db;

import io.frostbyte.export.signing.RevocationReason;
import java.util.Map;

import io.frostbyte.export.export.StoreException;
import io.frostbyte.export.keys.TenantKeys;
import io.frostbyte.export.keys.TenantPublicKey;
import io.frostbyte.export.signing.KeyMaterialException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The tenant_keys table: tenants' public keys (never private ones). */
public final class TenantKeyRepository implements TenantKeys {
    private static final String COLUMNS = "tenant_id, fingerprint, algorithm, public_key, status, created_at, retired_at, revoked_at,"
            + " revocation_reason";

    private final Database db;

    public TenantKeyRepository(Database db) {
        this.db = db;
    }

    @Override
    public Optional<TenantPublicKey> active(UUID tenant) throws StoreException {
        return Sql.run("reading the active key of tenant " + tenant, () -> {
            try (Connection c = db.connection()) {
                return active(c, tenant);
            }
        });
    }

    @Override
    public List<TenantPublicKey> all(UUID tenant) throws StoreException {
        return Sql.run("reading the keys of tenant " + tenant, () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                            + " from tenant_keys where tenant_id = ? order by status = 'active' desc, created_at desc, fingerprint")) {
                ps.setObject(1, tenant);
                List<TenantPublicKey> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(map(rs));
                }
                return out;
            }
        });
    }

    @Override
    public List<String> secretsToDestroy(UUID tenant) throws StoreException {
        return Sql.run("listing secrets to destroy of tenant " + tenant, () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("select fingerprint from tenant_keys where tenant_id = ?"
                            + " and status <> 'active' and secret_destroyed_at is null")) {
                ps.setObject(1, tenant);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    @Override
    public void secretDestroyed(UUID tenant, String fingerprint) throws StoreException {
        Sql.run("recording the destroyed secret of key " + fingerprint, () -> {
            try (Connection c = db.connection();
                    PreparedStatement ps = c.prepareStatement("update tenant_keys set secret_destroyed_at = now()"
                            + " where tenant_id = ? and fingerprint = ? and status <> 'active' and secret_destroyed_at is null")) {
                ps.setObject(1, tenant);
                ps.setString(2, fingerprint);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public <T> T underTenantLock(UUID tenant, Locked<T> work) throws StoreException, IOException, KeyMaterialException {
        Connection c = Sql.run("connecting to the database", db::connection);
        try (c) {
            Sql.run("locking the keys of tenant " + tenant, () -> {
                c.setAutoCommit(false);
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtextextended(?, 42))")) {
                    lock.setString(1, "tenant-key:" + tenant);
                    lock.execute();
                }
                return null;
            });
            try {
                T result = work.run(new Locked.Tx() {
                    @Override
                    public Optional<TenantPublicKey> active() throws StoreException {
                        return Sql.run("reading the active key of tenant " + tenant, () -> TenantKeyRepository.active(c, tenant));
                    }

                    @Override
                    public void retire(String fingerprint) throws StoreException {
                        Sql.run("retiring key " + fingerprint, () -> {
                            try (PreparedStatement ps = c.prepareStatement("update tenant_keys set status = 'retired', retired_at = now()"
                                    + " where tenant_id = ? and fingerprint = ? and status = 'active'")) {
                                ps.setObject(1, tenant);
                                ps.setString(2, fingerprint);
                                return ps.executeUpdate();
                            }
                        });
                    }

                    @Override
                    public Optional<TenantPublicKey> find(String fingerprint) throws StoreException {
                        return Sql.run("reading key " + fingerprint, () -> {
                            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                                    + " from tenant_keys where tenant_id = ? and fingerprint = ?")) {
                                ps.setObject(1, tenant);
                                ps.setString(2, fingerprint);
                                try (ResultSet rs = ps.executeQuery()) {
                                    return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                                }
                            }
                        });
                    }

                    @Override
                    public void insertActive(String fingerprint, String algorithm, String armoredPublicKey,
                            Map<RevocationReason, String> prepared) throws StoreException {
                        Sql.run("recording key " + fingerprint, () -> {
                            try (PreparedStatement ps = c.prepareStatement("insert into tenant_keys (tenant_id, fingerprint, algorithm,"
                                    + " public_key, status, revocation_compromised, revocation_superseded)"
                                    + " values (?, ?, ?, ?, 'active', ?, ?)")) {
                                ps.setObject(1, tenant);
                                ps.setString(2, fingerprint);
                                ps.setString(3, algorithm);
                                ps.setString(4, armoredPublicKey);
                                ps.setString(5, prepared.get(RevocationReason.COMPROMISED));
                                ps.setString(6, prepared.get(RevocationReason.SUPERSEDED));
                                return ps.executeUpdate();
                            }
                        });
                    }

                    @Override
                    public Optional<String> preparedRevocation(String fingerprint, RevocationReason reason) throws StoreException {
                        String column = reason == RevocationReason.COMPROMISED ? "revocation_compromised" : "revocation_superseded";
                        return Sql.run("reading the prepared revocation of key " + fingerprint, () -> {
                            try (PreparedStatement ps = c.prepareStatement("select " + column
                                    + " from tenant_keys where tenant_id = ? and fingerprint = ?")) {
                                ps.setObject(1, tenant);
                                ps.setString(2, fingerprint);
                                try (ResultSet rs = ps.executeQuery()) {
                                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                                }
                            }
                        });
                    }

                    @Override
                    public void prepareRevocations(String fingerprint, Map<RevocationReason, String> prepared) throws StoreException {
                        Sql.run("storing prepared revocations of key " + fingerprint, () -> {
                            try (PreparedStatement ps = c.prepareStatement("update tenant_keys set revocation_compromised ="
                                    + " coalesce(revocation_compromised, ?), revocation_superseded = coalesce(revocation_superseded, ?)"
                                    + " where tenant_id = ? and fingerprint = ?")) {
                                ps.setString(1, prepared.get(RevocationReason.COMPROMISED));
                                ps.setString(2, prepared.get(RevocationReason.SUPERSEDED));
                                ps.setObject(3, tenant);
                                ps.setString(4, fingerprint);
                                return ps.executeUpdate();
                            }
                        });
                    }

                    @Override
                    public void revoke(String fingerprint, RevocationReason reason, String revokedPublicKey) throws StoreException {
                        Sql.run("revoking key " + fingerprint, () -> {
                            try (PreparedStatement ps = c.prepareStatement("update tenant_keys set status = 'revoked', revoked_at = now(),"
                                    + " revocation_reason = ?, public_key = ? where tenant_id = ? and fingerprint = ? and status <> 'revoked'")) {
                                ps.setString(1, reason.label());
                                ps.setString(2, revokedPublicKey);
                                ps.setObject(3, tenant);
                                ps.setString(4, fingerprint);
                                return ps.executeUpdate();
                            }
                        });
                    }

                    @Override
                    public void audit(Audit entry) throws StoreException {
                        Sql.run("auditing a key change", () -> {
                            try (PreparedStatement ps = c.prepareStatement("insert into key_audit (tenant_id, actor, action, fingerprint,"
                                    + " previous_fingerprint, reason) values (?, ?, ?, ?, ?, ?)")) {
                                ps.setObject(1, tenant);
                                ps.setString(2, entry.actor());
                                ps.setString(3, entry.action());
                                ps.setString(4, entry.fingerprint());
                                ps.setString(5, entry.previousFingerprint().orElse(null));
                                ps.setString(6, entry.reason().map(RevocationReason::label).orElse(null));
                                return ps.executeUpdate();
                            }
                        });
                    }
                });
                Sql.run("committing the keys of tenant " + tenant, () -> {
                    c.commit();
                    return null;
                });
                return result;
            } catch (StoreException | IOException | KeyMaterialException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("closing the connection: " + e.getMessage(), e);
        }
    }

    private static Optional<TenantPublicKey> active(Connection c, UUID tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from tenant_keys where tenant_id = ? and status = 'active'")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static TenantPublicKey map(ResultSet rs) throws SQLException {
        return new TenantPublicKey(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                TenantPublicKey.Status.valueOf(rs.getString(5).toUpperCase(Locale.ROOT)),
                rs.getTimestamp(6).toInstant(), Optional.ofNullable(rs.getTimestamp(7)).map(java.sql.Timestamp::toInstant),
                Optional.ofNullable(rs.getTimestamp(8)).map(java.sql.Timestamp::toInstant),
                Optional.ofNullable(rs.getString(9)).flatMap(RevocationReason::of));
    }
}
