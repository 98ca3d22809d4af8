package io.frostbyte.export.export;

/** The service's data store (PostgreSQL behind the ports) could not do what was asked. */
public final class StoreException extends Exception {
    private final boolean transientFailure;

    public StoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** {@code transientFailure}: the store was unreachable or restarting, so the same call may succeed soon. */
    public StoreException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
