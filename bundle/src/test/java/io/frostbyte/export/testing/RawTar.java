package io.frostbyte.export.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A tar archive as a list of raw members (512-byte header, data, padding) that tests can edit at
 * the byte level: any field, any type, pax records, checksums, padding and the end marker. Used
 * for the malformed bundles of format §2 and by the extractor differential test's mutator, where a
 * library writer would refuse or silently fix what the test needs to write.
 */
public final class RawTar {
    public static final int BLOCK = 512;
    public static final long MTIME = TestKeys.CREATED.getEpochSecond();

    /** Header field offsets and lengths (POSIX ustar). */
    public enum Field {
        NAME(0, 100), MODE(100, 8), UID(108, 8), GID(116, 8), SIZE(124, 12), MTIME(136, 12), CHKSUM(148, 8),
        TYPE(156, 1), LINKNAME(157, 100), MAGIC(257, 6), VERSION(263, 2), UNAME(265, 32), GNAME(297, 32),
        DEVMAJOR(329, 8), DEVMINOR(337, 8), PREFIX(345, 155);

        public final int offset;
        public final int length;

        Field(int offset, int length) {
            this.offset = offset;
            this.length = length;
        }
    }

    /** One member: its header block, its data, and the bytes that pad the data to a block. */
    public static final class Member {
        public byte[] header;
        public byte[] data;
        public byte[] padding;
        /** Keep the header's checksum field as set instead of recomputing it on write. */
        public boolean keepChecksum;

        public Member(byte[] header, byte[] data) {
            this.header = header;
            this.data = data;
            this.padding = new byte[(BLOCK - data.length % BLOCK) % BLOCK];
        }

        public Member copy() {
            Member m = new Member(header.clone(), data.clone());
            m.padding = padding.clone();
            m.keepChecksum = keepChecksum;
            return m;
        }

        public char type() {
            return (char) (header[Field.TYPE.offset] & 0xff);
        }

        public String name() {
            return text(Field.NAME);
        }

        public String text(Field f) {
            int end = f.offset;
            while (end < f.offset + f.length && header[end] != 0) end++;
            return new String(header, f.offset, end - f.offset, StandardCharsets.UTF_8);
        }

        public Member set(Field f, byte[] value) {
            Arrays.fill(header, f.offset, f.offset + f.length, (byte) 0);
            System.arraycopy(value, 0, header, f.offset, Math.min(value.length, f.length));
            return this;
        }

        public Member set(Field f, String value) {
            return set(f, value.getBytes(StandardCharsets.UTF_8));
        }

        /** An octal field the way GNU tar and Python write it: zero-padded digits and a NUL. */
        public Member octal(Field f, long value) {
            return set(f, String.format("%0" + (f.length - 1) + "o", value));
        }

        public Member type(char t) {
            header[Field.TYPE.offset] = (byte) t;
            return this;
        }

        /** Replaces the data and sets the size field to match. */
        public Member data(byte[] d) {
            data = d;
            padding = new byte[(BLOCK - d.length % BLOCK) % BLOCK];
            return octal(Field.SIZE, d.length);
        }

        public long size() {
            return number(Field.SIZE);
        }

        /** A numeric field read leniently (base-256, leading spaces, digits up to the first other byte). */
        public long number(Field f) {
            long v = 0;
            if ((header[f.offset] & 0x80) != 0) {
                for (int i = f.offset + 1; i < f.offset + f.length; i++) v = (v << 8) | (header[i] & 0xff);
                return v;
            }
            int i = f.offset;
            while (i < f.offset + f.length && header[i] == ' ') i++;
            for (; i < f.offset + f.length && header[i] >= '0' && header[i] <= '7'; i++) v = (v << 3) | (header[i] - '0');
            return v;
        }
    }

    public final List<Member> members = new ArrayList<>();
    /** What follows the last member: by default the end marker and zeros to a 10 KiB record. */
    public byte[] trailer;

    /** A fresh POSIX ustar header for a regular file or directory, checksum filled in on write. */
    public static Member member(String name, char type, byte[] data) {
        Member m = new Member(new byte[BLOCK], new byte[0]);
        m.set(Field.NAME, name).octal(Field.MODE, type == '5' ? 0755 : 0644).octal(Field.UID, 0).octal(Field.GID, 0)
                .octal(Field.MTIME, MTIME).type(type)
                .set(Field.MAGIC, new byte[] {'u', 's', 't', 'a', 'r', 0}).set(Field.VERSION, "00")
                .octal(Field.DEVMAJOR, 0).octal(Field.DEVMINOR, 0);
        return m.data(data);
    }

    /** A pax extended header ({@code 'x'}, or {@code 'g'}) with the records given, in order. */
    public static Member pax(char type, Map<String, String> records) {
        StringBuilder text = new StringBuilder();
        records.forEach((k, v) -> text.append(paxRecord(k, v)));
        return member("PaxHeaders/x", type, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** One {@code "<len> key=value\n"} record with its exact length. */
    public static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int len = body + 1;
        while (String.valueOf(len).length() + body != len) len++;
        return len + " " + key + "=" + value + "\n";
    }

    /** Reads a tar written by any writer (member boundaries from the ustar size field). */
    public static RawTar parse(byte[] tar) {
        RawTar t = new RawTar();
        int pos = 0;
        while (pos + BLOCK <= tar.length) {
            byte[] header = Arrays.copyOfRange(tar, pos, pos + BLOCK);
            if (isZero(header)) break;
            pos += BLOCK;
            Member m = new Member(header, new byte[0]);
            int size = (int) m.size();
            m.data = Arrays.copyOfRange(tar, pos, pos + size);
            int padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            m.padding = Arrays.copyOfRange(tar, pos + size, pos + padded);
            pos += padded;
            t.members.add(m);
        }
        t.trailer = Arrays.copyOfRange(tar, pos, tar.length);
        return t;
    }

    public RawTar copy() {
        RawTar t = new RawTar();
        members.forEach(m -> t.members.add(m.copy()));
        t.trailer = trailer == null ? null : trailer.clone();
        return t;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Member m : members) {
            if (!m.keepChecksum) fixChecksum(m.header);
            out.writeBytes(m.header);
            out.writeBytes(m.data);
            out.writeBytes(m.padding);
        }
        if (trailer != null) out.writeBytes(trailer);
        else {
            int size = out.size() + 2 * BLOCK;
            out.writeBytes(new byte[2 * BLOCK + (10240 - size % 10240) % 10240]);
        }
        return out.toByteArray();
    }

    /** The checksum GNU tar writes: six octal digits, NUL, space. */
    public static void fixChecksum(byte[] header) {
        Arrays.fill(header, Field.CHKSUM.offset, Field.CHKSUM.offset + 8, (byte) ' ');
        long sum = 0;
        for (byte b : header) sum += b & 0xff;
        byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, header, Field.CHKSUM.offset, 6);
        header[Field.CHKSUM.offset + 6] = 0;
        header[Field.CHKSUM.offset + 7] = ' ';
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    public int indexOf(String nameSuffix) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).type() != 'x' && members.get(i).name().endsWith(nameSuffix)) return i;
        }
        throw new IllegalArgumentException("no member ends with " + nameSuffix);
    }
}
