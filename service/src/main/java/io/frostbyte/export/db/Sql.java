package io.frostbyte.export.db;

import io.frostbyte.export.export.StoreException;
import java.sql.SQLException;

/** Where SQLException becomes the ports' StoreException, with what was being done. */
final class Sql {
    private Sql() {}

    interface Work<T> {
        T run() throws SQLException;
    }

    static <T> T run(String what, Work<T> work) throws StoreException {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new StoreException(what + ": " + e.getMessage(), e, isTransient(e));
        }
    }

    /**
     * Connection failures (class 08), an administrator's shutdown or a server starting (57P01-57P03)
     * and too many connections (53300): what a restart or failover looks like, worth retrying.
     */
    static boolean isTransient(java.sql.SQLException e) {
        for (java.sql.SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) return true;
            if (x.getCause() instanceof java.io.IOException) return true;
        }
        return false;
    }
}
