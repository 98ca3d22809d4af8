package io.frostbyte.export.export;

/** The service's data store (PostgreSQL behind the ports) could not do what was asked. */
public final class StoreException extends Exception {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
