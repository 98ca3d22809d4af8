package io.frostbyte.export.config;

/** A setting is missing or malformed; the message is one line naming it. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
