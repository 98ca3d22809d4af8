package io.frostbyte.export.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Header-level mutations of valid bundles, for the extractor differential test: entry types,
 * sizes, names, pax records, checksums, magic, numeric fields, padding and the end marker, entry
 * order, gzip member splits. Data and the signed manifest are left alone, so a mutant is either
 * the same content laid out differently (and should verify) or an archive whose reading is in
 * doubt (and must not). Seeded: the same seed and index give the same mutant.
 */
public final class BundleMutator {
    /** A base bundle: its tar and what a correct extraction yields (relative path to SHA-256 hex). */
    public record Base(String name, byte[] tar, Map<String, String> expectedFiles) {}

    /** One mutant and the mutations that made it. */
    public record Mutant(int index, String base, List<String> mutations, byte[] bundle) {
        public String describe() {
            return "mutant " + index + " of base '" + base + "': " + String.join("; ", mutations);
        }
    }

    private static final char[] TYPES = {'0', '1', '2', '3', '4', '5', '6', '7', '\0', 'g', 'x', 'L', 'K', 'S', 'V', 'M', 'D', 'X', 'A'};
    private static final String[] PAX_KEYS = {"path", "size", "mtime", "atime", "ctime", "uname", "linkpath",
            "GNU.sparse.major", "SCHILY.filetype", "hdrcharset", "comment", "uid"};

    private final List<Base> bases;
    private final long seed;

    public BundleMutator(List<Base> bases, long seed) {
        this.bases = List.copyOf(bases);
        this.seed = seed;
    }

    /** Valid bases built the ways writers lay bundles out: plain ustar, pax everywhere, GNU magic, directories, manifest first. */
    public static List<Base> standardBases() {
        List<Base> out = new ArrayList<>();
        BundleForge f = BundleForge.valid(TestKeys.a(), 3, 2);
        Map<String, String> expected = expected(f);
        RawTar plain = RawTar.parse(f.tar());
        out.add(new Base("ustar", plain.bytes(), expected));

        RawTar dirs = plain.copy();
        String root = f.root();
        dirs.members.add(1, RawTar.member(root + "documents/", '5', new byte[0]));
        dirs.members.add(dirs.indexOf("/chunks/" + firstName(dirs, "/chunks/")), RawTar.member(root + "chunks/", '5', new byte[0]));
        out.add(new Base("ustar with directories", dirs.bytes(), expected));

        RawTar pax = plain.copy();
        for (int i = pax.members.size() - 1; i >= 0; i--) {
            RawTar.Member m = pax.members.get(i);
            Map<String, String> records = new LinkedHashMap<>();
            records.put("path", m.name());
            records.put("mtime", RawTar.MTIME + ".25");
            pax.members.add(i, RawTar.pax('x', records));
        }
        out.add(new Base("pax", pax.bytes(), expected));

        RawTar gnu = plain.copy();
        for (RawTar.Member m : gnu.members) m.set(RawTar.Field.MAGIC, "ustar ").set(RawTar.Field.VERSION, new byte[] {' ', 0});
        out.add(new Base("gnu", gnu.bytes(), expected));

        RawTar manifestFirst = plain.copy();
        RawTar.Member manifest = manifestFirst.members.remove(manifestFirst.indexOf("/manifest.json"));
        manifestFirst.members.add(0, manifest);
        out.add(new Base("manifest first", manifestFirst.bytes(), expected));
        return out;
    }

    private static String firstName(RawTar t, String part) {
        for (RawTar.Member m : t.members) {
            if (m.name().contains(part)) return m.name().substring(m.name().indexOf(part) + part.length());
        }
        throw new IllegalStateException("no " + part);
    }

    private static Map<String, String> expected(BundleForge f) {
        Map<String, String> files = new LinkedHashMap<>();
        for (BundleForge.Entry e : f.entries) {
            if (e.type() == '0') files.put(e.name(), BundleForge.sha256(e.data()));
        }
        files.put(f.root() + "manifest.json", BundleForge.sha256(f.manifestBytes()));
        return files;
    }

    public Mutant mutant(int index) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        Base base = bases.get(r.nextInt(bases.size()));
        RawTar t = RawTar.parse(base.tar());
        List<String> done = new ArrayList<>();
        int count = 1 + r.nextInt(3);
        boolean split = false;
        int gzipHeader = -1;
        for (int k = 0; k < count; k++) {
            int kind = r.nextInt(15);
            if (kind == 12) {
                split = true;
                done.add("split into gzip members");
            } else if (kind == 13) {
                gzipHeader = r.nextInt(6);
                done.add("gzip header " + GZIP_HEADERS[gzipHeader]);
            } else if (kind == 14) {
                done.add(textField(t, r));
            } else {
                done.add(mutate(t, kind, r));
            }
        }
        byte[] tar = t.bytes();
        byte[] bundle = split ? splitGzip(tar, r, done) : BundleForge.gzip(tar);
        if (gzipHeader >= 0) bundle = gzipHeader(bundle, gzipHeader);
        return new Mutant(index, base.name(), done, bundle);
    }

    public Base base(String name) {
        return bases.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    private static int entryIndex(RawTar t, SplittableRandom r) {
        return r.nextInt(t.members.size());
    }

    private String mutate(RawTar t, int kind, SplittableRandom r) {
        int i = entryIndex(t, r);
        RawTar.Member m = t.members.get(i);
        switch (kind) {
            case 0 -> {
                char type = TYPES[r.nextInt(TYPES.length)];
                m.type(type);
                return "type of #" + i + " := " + (int) type;
            }
            case 1 -> {
                long[] deltas = {-1, 1, 511, 512, 1024, -512};
                long size = Math.max(0, m.size() + deltas[r.nextInt(deltas.length)]);
                if (r.nextInt(4) == 0) size = 0;
                m.octal(RawTar.Field.SIZE, size);
                return "size of #" + i + " := " + size + " (data unchanged)";
            }
            case 2 -> {
                return hiddenHeader(t, r);
            }
            case 3 -> {
                return name(t, i, m, r);
            }
            case 4 -> {
                return paxInsert(t, i, r);
            }
            case 5 -> {
                switch (r.nextInt(4)) {
                    case 0 -> {
                        RawTar.fixChecksum(m.header);
                        m.header[RawTar.Field.CHKSUM.offset + r.nextInt(6)] ^= (byte) (1 + r.nextInt(7));
                        m.keepChecksum = true;
                        return "checksum of #" + i + " corrupted";
                    }
                    case 1 -> {
                        RawTar.fixChecksum(m.header);
                        byte[] h = m.header;
                        String digits = new String(h, RawTar.Field.CHKSUM.offset, 6, StandardCharsets.US_ASCII);
                        m.set(RawTar.Field.CHKSUM, "0" + digits + "\0");
                        m.keepChecksum = true;
                        return "checksum of #" + i + " as 7 digits and NUL";
                    }
                    case 2 -> {
                        RawTar.fixChecksum(m.header);
                        String digits = new String(m.header, RawTar.Field.CHKSUM.offset, 6, StandardCharsets.US_ASCII);
                        m.set(RawTar.Field.CHKSUM, " " + digits.replaceFirst("^0", " ") + "\0");
                        m.keepChecksum = true;
                        return "checksum of #" + i + " with leading spaces";
                    }
                    default -> {
                        m.set(RawTar.Field.CHKSUM, "");
                        m.keepChecksum = true;
                        return "checksum of #" + i + " blank";
                    }
                }
            }
            case 6 -> {
                switch (r.nextInt(4)) {
                    case 0 -> {
                        m.set(RawTar.Field.MAGIC, "ustar ").set(RawTar.Field.VERSION, new byte[] {' ', 0});
                        return "GNU magic on #" + i;
                    }
                    case 1 -> {
                        m.set(RawTar.Field.MAGIC, "ustar ").set(RawTar.Field.VERSION, new byte[] {' ', 0});
                        m.set(RawTar.Field.PREFIX, m.name().substring(0, Math.max(1, m.name().indexOf('/'))));
                        return "GNU magic on #" + i + " with a prefix";
                    }
                    case 2 -> {
                        m.set(RawTar.Field.MAGIC, new byte[0]).set(RawTar.Field.VERSION, new byte[0]);
                        return "no magic (v7) on #" + i;
                    }
                    default -> {
                        m.set(RawTar.Field.VERSION, "  ");
                        return "ustar version '  ' on #" + i;
                    }
                }
            }
            case 7 -> {
                RawTar.Field[] fields = {RawTar.Field.MODE, RawTar.Field.UID, RawTar.Field.MTIME, RawTar.Field.SIZE};
                RawTar.Field f = fields[r.nextInt(fields.length)];
                String value = m.text(f);
                switch (r.nextInt(3)) {
                    case 0 -> {
                        byte[] b256 = new byte[f.length];
                        b256[0] = (byte) 0x80;
                        long v = m.number(f);
                        for (int k = f.length - 1; k > 0; k--, v >>>= 8) b256[k] = (byte) v;
                        m.set(f, b256);
                        return f + " of #" + i + " in base-256";
                    }
                    case 1 -> {
                        m.set(f, value.replaceFirst("^0+", m.size() == 0 && f == RawTar.Field.SIZE ? "0" : " "));
                        return f + " of #" + i + " with leading space";
                    }
                    default -> {
                        m.set(f, value.substring(0, Math.max(1, value.length() - 1)) + " 7");
                        return f + " of #" + i + " with a digit after a space";
                    }
                }
            }
            case 8 -> {
                if (m.padding.length > 0 && r.nextBoolean()) {
                    m.padding[r.nextInt(m.padding.length)] = (byte) (1 + r.nextInt(255));
                    return "non-zero padding after #" + i;
                }
                return trailer(t, r);
            }
            case 9 -> {
                return reorder(t, r);
            }
            case 10 -> {
                if (r.nextBoolean()) {
                    t.members.add(i, m.copy());
                    return "#" + i + " duplicated";
                }
                m.set(RawTar.Field.LINKNAME, t.members.get(entryIndex(t, r)).name());
                return "link name on #" + i;
            }
            default -> {
                int j = entryIndex(t, r);
                RawTar.Member other = t.members.get(j);
                byte[] tmp = m.data;
                m.data(other.data);
                other.data(tmp);
                return "data of #" + i + " and #" + j + " swapped";
            }
        }
    }

    private static String name(RawTar t, int i, RawTar.Member m, SplittableRandom r) {
        String n = m.name();
        int slash = n.indexOf('/');
        switch (r.nextInt(8)) {
            case 0 -> m.set(RawTar.Field.NAME, n + "/");
            case 1 -> m.set(RawTar.Field.NAME, "./" + n);
            case 2 -> m.set(RawTar.Field.NAME, slash < 0 ? n + "//x" : n.substring(0, slash) + "//" + n.substring(slash + 1));
            case 3 -> {
                if (slash <= 0 || slash == n.length() - 1) return "no prefix split for #" + i;
                m.set(RawTar.Field.PREFIX, n.substring(0, slash)).set(RawTar.Field.NAME, n.substring(slash + 1));
            }
            case 4 -> {
                byte[] b = (n + "\0junk").getBytes(StandardCharsets.UTF_8);
                m.set(RawTar.Field.NAME, b);
            }
            case 5 -> {
                byte[] b = n.getBytes(StandardCharsets.UTF_8);
                b[r.nextInt(b.length)] = (byte) 0xff;
                m.set(RawTar.Field.NAME, b);
            }
            case 6 -> m.set(RawTar.Field.NAME, t.members.get(entryIndex(t, r)).name());
            default -> {
                char[] c = n.toCharArray();
                int k = r.nextInt(c.length);
                c[k] = Character.isUpperCase(c[k]) ? Character.toLowerCase(c[k]) : Character.toUpperCase(c[k]);
                m.set(RawTar.Field.NAME, new String(c));
            }
        }
        return "name of #" + i + " := '" + m.name().replace("\0", "\\0") + "' prefix '" + m.text(RawTar.Field.PREFIX) + "'";
    }

    private static String paxInsert(RawTar t, int i, SplittableRandom r) {
        RawTar.Member target = t.members.get(i);
        Map<String, String> records = new LinkedHashMap<>();
        int n = 1 + r.nextInt(3);
        for (int k = 0; k < n; k++) {
            String key = PAX_KEYS[r.nextInt(r.nextInt(3) == 0 ? PAX_KEYS.length : 5)];
            records.put(key, paxValue(key, t, target, r));
        }
        char type = r.nextInt(6) == 0 ? 'g' : 'x';
        RawTar.Member pax = RawTar.pax(type, records);
        String how = "";
        switch (r.nextInt(6)) {
            case 0 -> {
                String text = new String(pax.data, StandardCharsets.UTF_8);
                pax.data(text.replaceFirst("^(\\d+)", "$1" + "0").getBytes(StandardCharsets.UTF_8));
                how = " with a wrong length";
            }
            case 1 -> {
                pax.data(new String(pax.data, StandardCharsets.UTF_8).replaceFirst("\n$", " ").getBytes(StandardCharsets.UTF_8));
                how = " without the last newline";
            }
            case 2 -> {
                t.members.add(i, RawTar.pax('x', Map.of("path", t.members.get(entryIndex(t, r)).name())));
                how = " after another pax header";
            }
            default -> { }
        }
        t.members.add(i, pax);
        return "pax '" + type + "' " + records + how + " before #" + i;
    }

    private static String paxValue(String key, RawTar t, RawTar.Member target, SplittableRandom r) {
        return switch (key) {
            case "path" -> switch (r.nextInt(5)) {
                case 0 -> t.members.get(r.nextInt(t.members.size())).name();
                case 1 -> target.name() + "/";
                case 2 -> "";
                default -> target.name();
            };
            case "size" -> switch (r.nextInt(4)) {
                case 0 -> String.valueOf(target.size() + 1);
                case 1 -> " " + target.size();
                case 2 -> "0";
                default -> String.valueOf(target.size());
            };
            case "mtime", "atime", "ctime" -> switch (r.nextInt(4)) {
                case 0 -> "-1";
                case 1 -> "1.5e3";
                default -> RawTar.MTIME + "." + r.nextInt(1000);
            };
            case "uid" -> "0";
            default -> "x";
        };
    }

    private static final byte[][] STREAM_SIGNATURES = {
        {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, "BZh91AY&SY".getBytes(StandardCharsets.US_ASCII),
        "begin-base64 644 x\n".getBytes(StandardCharsets.US_ASCII), "070707000000".getBytes(StandardCharsets.US_ASCII),
        "PaxHeader/x".getBytes(StandardCharsets.US_ASCII), "././@PaxHeader".getBytes(StandardCharsets.US_ASCII)};

    /** Text fields: a first pax header named like a stream signature, control characters, bytes past the NUL, unused bytes. */
    private static String textField(RawTar t, SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0 -> {
                byte[] sig = STREAM_SIGNATURES[r.nextInt(STREAM_SIGNATURES.length)];
                RawTar.Member pax = RawTar.pax('x', Map.of("mtime", String.valueOf(RawTar.MTIME)));
                pax.set(RawTar.Field.NAME, sig);
                t.members.add(0, pax);
                return "first header: pax named " + new String(sig, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", "?");
            }
            case 1 -> {
                int i = r.nextInt(t.members.size());
                RawTar.Field f = r.nextBoolean() ? RawTar.Field.UNAME : RawTar.Field.GNAME;
                t.members.get(i).set(f, r.nextBoolean() ? "root\nx" : "\u00e9l\u00e8ve");
                return f + " of #" + i + " := " + t.members.get(i).text(f).replace("\n", "\\n");
            }
            case 2 -> {
                int i = r.nextInt(t.members.size());
                t.members.get(i).header[500 + r.nextInt(12)] = (byte) (1 + r.nextInt(255));
                return "unused header bytes of #" + i + " set";
            }
            default -> {
                int i = r.nextInt(t.members.size());
                RawTar.Member m = t.members.get(i);
                m.set(RawTar.Field.UNAME, "");
                m.header[RawTar.Field.UNAME.offset + 5] = 'x';
                return "user name of #" + i + " with a byte after its NUL";
            }
        }
    }

    private static String hiddenHeader(RawTar t, SplittableRandom r) {
        List<Integer> files = new ArrayList<>();
        for (int k = 0; k < t.members.size(); k++) {
            if (t.members.get(k).type() == '0' && t.members.get(k).name().endsWith(".json")) files.add(k);
        }
        int target = files.get(r.nextInt(files.size()));
        RawTar.Member hidden = t.members.get(target).copy().data("{\"forged\":true}".getBytes(StandardCharsets.UTF_8));
        RawTar.fixChecksum(hidden.header);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(hidden.header);
        data.writeBytes(hidden.data);
        data.writeBytes(hidden.padding);
        String name = t.members.get(target).name();
        char carrier = "5125".charAt(r.nextInt(4));
        RawTar.Member dir = RawTar.member(name.substring(0, name.lastIndexOf('/') + 1), carrier, new byte[0]);
        dir.data = data.toByteArray();
        dir.octal(RawTar.Field.SIZE, dir.data.length);
        dir.padding = new byte[0];
        t.members.add(target + 1, dir);
        return "type " + carrier + " entry with " + dir.data.length + " bytes hiding a header for '" + name + "' after #" + target;
    }

    private static String trailer(RawTar t, SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0 -> {
                t.trailer = new byte[RawTar.BLOCK * (3 + r.nextInt(30))];
                return "longer zero trailer";
            }
            case 1 -> {
                byte[] tr = new byte[RawTar.BLOCK * 3];
                tr[RawTar.BLOCK + 7] = 'x';
                t.trailer = tr;
                return "one zero block, then non-zero bytes";
            }
            case 2 -> {
                t.trailer = new byte[0];
                return "no end-of-archive marker";
            }
            default -> {
                byte[] tr = new byte[RawTar.BLOCK * 4];
                tr[tr.length - 1] = 1;
                t.trailer = tr;
                return "garbage after the end-of-archive marker";
            }
        }
    }

    /** Moves whole entries (with the pax headers that precede them). */
    private static String reorder(RawTar t, SplittableRandom r) {
        List<List<RawTar.Member>> groups = new ArrayList<>();
        List<RawTar.Member> current = new ArrayList<>();
        for (RawTar.Member m : t.members) {
            current.add(m);
            if (m.type() != 'x' && m.type() != 'g') {
                groups.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) groups.add(current);
        for (int k = groups.size() - 1; k > 0; k--) {
            int j = r.nextInt(k + 1);
            List<RawTar.Member> tmp = groups.get(k);
            groups.set(k, groups.get(j));
            groups.set(j, tmp);
        }
        t.members.clear();
        groups.forEach(t.members::addAll);
        return "entries shuffled";
    }

    private static final String[] GZIP_HEADERS = {"with a file name", "with a comment", "with an extra field",
            "with a correct header CRC", "with a wrong header CRC", "with a reserved flag bit"};

    /** Rewrites the first member's 10-byte header with optional fields (RFC 1952 §2.3). */
    private static byte[] gzipHeader(byte[] gz, int variant) {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        int flags = switch (variant) {
            case 0 -> 0x08;
            case 1 -> 0x10;
            case 2 -> 0x04;
            case 3, 4 -> 0x02;
            default -> 0x20;
        };
        h.write(0x1f);
        h.write(0x8b);
        h.write(8);
        h.write(flags);
        h.write(gz, 4, 6);
        switch (variant) {
            case 0 -> h.writeBytes("bundle.tar\0".getBytes(StandardCharsets.ISO_8859_1));
            case 1 -> h.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
            case 2 -> h.writeBytes(new byte[] {4, 0, 'F', 'B', 0, 0});
            case 3, 4 -> {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(h.toByteArray());
                int v = (int) crc.getValue() & 0xffff;
                if (variant == 4) v ^= 0x5a5a;
                h.write(v & 0xff);
                h.write(v >>> 8);
            }
            default -> { }
        }
        h.write(gz, 10, gz.length - 10);
        return h.toByteArray();
    }

    private static byte[] splitGzip(byte[] tar, SplittableRandom r, List<String> done) {
        int parts = 2 + r.nextInt(3);
        List<Integer> cuts = new ArrayList<>();
        for (int k = 0; k < parts - 1; k++) cuts.add(r.nextInt(tar.length + 1));
        cuts.sort(Integer::compare);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            out.writeBytes(BundleForge.gzip(java.util.Arrays.copyOfRange(tar, from, cut)));
            from = cut;
        }
        out.writeBytes(BundleForge.gzip(java.util.Arrays.copyOfRange(tar, from, tar.length)));
        done.set(done.lastIndexOf("split into gzip members"), "split into " + parts + " gzip members at " + cuts);
        return out.toByteArray();
    }
}
