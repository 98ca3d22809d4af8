package io.frostbyte.export.bundle;

import java.util.Objects;

/**
 * One tar entry as read, after its pax header (if any) is applied and before any bundle rule on
 * names is. {@link StrictTarReader} only returns regular files and directories.
 *
 * @param name the entry name (pax {@code path} if present, else ustar prefix and name); empty when
 *     it is not valid UTF-8
 * @param nameValid false when the raw name is not valid UTF-8 or holds a NUL
 * @param type {@code '0'} regular file or {@code '5'} directory
 * @param size bytes of data that follow the header (always 0 for a directory)
 */
public record TarEntry(String name, boolean nameValid, char type, long size) {
    public TarEntry {
        Objects.requireNonNull(name, "name");
        if (size < 0) throw new IllegalArgumentException("negative size");
        if (type != '0' && type != '5') throw new IllegalArgumentException("only regular files and directories");
        if (type == '5' && size != 0) throw new IllegalArgumentException("a directory has no data");
    }

    public boolean isRegularFile() {
        return type == '0';
    }

    public boolean isDirectory() {
        return type == '5';
    }

    /** A human name for a tar type flag, for reports. */
    public static String typeName(int type) {
        return switch (type) {
            case '0' -> "regular file";
            case 0 -> "old-style regular file (NUL type)";
            case '1' -> "hard link";
            case '2' -> "symbolic link";
            case '3' -> "character device";
            case '4' -> "block device";
            case '5' -> "directory";
            case '6' -> "FIFO";
            case '7' -> "contiguous file";
            case 'g' -> "pax global header";
            case 'x' -> "pax extended header";
            case 'L' -> "GNU long-name entry";
            case 'K' -> "GNU long-link entry";
            case 'S' -> "GNU sparse file";
            case 'D' -> "GNU dump directory";
            case 'V' -> "volume label";
            case 'M' -> "multi-volume continuation";
            default -> "entry of type " + (type < 0x20 || type > 0x7e ? String.format("\\x%02x", type) : "'" + (char) type + "'");
        };
    }
}
