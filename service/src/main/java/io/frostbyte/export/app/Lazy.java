package io.frostbyte.export.app;

import java.util.function.Supplier;

/** Builds a client on first use, once: a function pays at cold start only for what it touches. */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> factory;
    private volatile T value;

    Lazy(Supplier<T> factory) {
        this.factory = factory;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) value = v = factory.get();
            }
        }
        return v;
    }

    boolean isBuilt() {
        return value != null;
    }
}
