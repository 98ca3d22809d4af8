package io.frostbyte.export.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tenants' public keys (never private ones). */
public final class TenantKeyRepository {
    /** One public key row. */
    public record PublicKeyRow(UUID tenantId, String fingerprint, String algorithm, String publicKey, String status,
            Instant createdAt, Optional<Instant> retiredAt) {}

    private final Database db;

    public TenantKeyRepository(Database db) {
        this.db = db;
    }

    public Optional<PublicKeyRow> active(Connection c, UUID tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select tenant_id, fingerprint, algorithm, public_key, status, created_at,"
                + " retired_at from tenant_keys where tenant_id = ? and status = 'active'")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    public Optional<PublicKeyRow> active(UUID tenant) throws SQLException {
        try (Connection c = db.connection()) {
            return active(c, tenant);
        }
    }

    /** All of the tenant's keys, the active one first, then retired ones newest first. */
    public List<PublicKeyRow> all(UUID tenant) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("select tenant_id, fingerprint, algorithm, public_key, status, created_at,"
                        + " retired_at from tenant_keys where tenant_id = ? order by status = 'active' desc, created_at desc")) {
            ps.setObject(1, tenant);
            List<PublicKeyRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(map(rs));
            }
            return out;
        }
    }

    public void insertActive(Connection c, UUID tenant, String fingerprint, String algorithm, String publicKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into tenant_keys (tenant_id, fingerprint, algorithm, public_key, status)"
                + " values (?, ?, ?, ?, 'active')")) {
            ps.setObject(1, tenant);
            ps.setString(2, fingerprint);
            ps.setString(3, algorithm);
            ps.setString(4, publicKey);
            ps.executeUpdate();
        }
    }

    public void retire(Connection c, UUID tenant, String fingerprint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update tenant_keys set status = 'retired', retired_at = now()"
                + " where tenant_id = ? and fingerprint = ? and status = 'active'")) {
            ps.setObject(1, tenant);
            ps.setString(2, fingerprint);
            ps.executeUpdate();
        }
    }

    private static PublicKeyRow map(ResultSet rs) throws SQLException {
        return new PublicKeyRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant(), Optional.ofNullable(rs.getTimestamp(7)).map(java.sql.Timestamp::toInstant));
    }
}
