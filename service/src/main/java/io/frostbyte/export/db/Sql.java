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
            throw new StoreException(what + ": " + e.getMessage(), e);
        }
    }
}
