package io.frostbyte.export.bundle;

import java.util.Optional;

/**
 * One tar header as read, before any bundle rule is applied.
 *
 * @param name the entry name (pax {@code path} if present), empty when it is not valid UTF-8
 * @param nameValid false when the raw name is not valid UTF-8 or holds a NUL
 * @param type the header's type flag ({@code '0'} regular, {@code '5'} directory, ...)
 * @param size bytes of data that follow the header
 * @param sparse true when pax headers mark a GNU sparse file
 */
public record TarEntry(String name, boolean nameValid, char type, long size, boolean sparse) {
    public TarEntry {
        if (size < 0) throw new IllegalArgumentException("negative size");
    }

    public boolean isRegularFile() {
        return (type == '0' || type == '\0') && !sparse;
    }

    public boolean isDirectory() {
        return type == '5';
    }

    /** A human name for the type, for reports. */
    public String typeName() {
        if (sparse) return "sparse file";
        return switch (type) {
            case '0', '\0' -> "regular file";
            case '1' -> "hard link";
            case '2' -> "symbolic link";
            case '3' -> "character device";
            case '4' -> "block device";
            case '5' -> "directory";
            case '6' -> "FIFO";
            case '7' -> "contiguous file";
            case 'L' -> "GNU long-name entry";
            case 'K' -> "GNU long-link entry";
            case 'S' -> "GNU sparse file";
            case 'D' -> "GNU dump directory";
            case 'V' -> "volume label";
            case 'M' -> "multi-volume continuation";
            default -> "entry of type '" + (type < 0x20 || type > 0x7e ? String.format("\\x%02x", (int) type) : type) + "'";
        };
    }

    public Optional<String> validName() {
        return nameValid ? Optional.of(name) : Optional.empty();
    }
}
