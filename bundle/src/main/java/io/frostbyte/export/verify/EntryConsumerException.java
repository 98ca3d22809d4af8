package io.frostbyte.export.verify;

/** The {@link EntryConsumer} gave up, so the bundle was neither fully verified nor consumed. */
public final class EntryConsumerException extends Exception {
    private final String path;

    public EntryConsumerException(String path, Throwable cause) {
        super("consuming " + path + " failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
        this.path = path;
    }

    /** The entry being consumed when it failed. */
    public String path() {
        return path;
    }
}
