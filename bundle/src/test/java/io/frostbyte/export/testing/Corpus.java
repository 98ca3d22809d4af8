package io.frostbyte.export.testing;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Deterministic English-like text and document JSON for tests and benchmarks: word frequencies
 * follow a Zipf-like curve so that gzip reaches roughly the ratio real prose does (~3x), unlike
 * random bytes.
 */
public final class Corpus {
    private static final String[] WORDS = (
            "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
            + "they you were her she there been one all we their has would when if so no will more what out up about who "
            + "data export tenant document chunk signature bundle archive manifest storage verify customer report policy "
            + "account invoice contract quarterly revenue meeting schedule product service platform system network "
            + "security compliance retention analysis summary project release version update deployment pipeline model "
            + "training evaluation search index query result response request review approval budget forecast market "
            + "research design engineering operations support incident resolution customer feedback quality metrics "
            + "northern southern western eastern because however therefore although whereas meanwhile furthermore "
            + "significant important necessary available different following previous general particular specific "
            + "information development management government environment organization application experience "
            + "between through during without within against among across toward upon under after before since until").split(" ");

    private final SplittableRandom random;

    public Corpus(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private String word() {
        // Squaring a uniform draw skews towards the frequent words at the front, Zipf-like.
        double u = random.nextDouble();
        return WORDS[(int) (u * u * WORDS.length)];
    }

    /** About {@code chars} characters of sentences. */
    public String text(int chars) {
        StringBuilder b = new StringBuilder(chars + 32);
        boolean start = true;
        while (b.length() < chars) {
            String w = word();
            if (start) {
                b.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
                start = false;
            } else {
                b.append(w);
            }
            int r = random.nextInt(100);
            if (r < 7) {
                b.append(". ");
                start = true;
            } else if (r < 12) {
                b.append(", ");
            } else if (r < 13) {
                b.append(' ').append(random.nextInt(10_000)).append(' ');
            } else {
                b.append(' ');
            }
        }
        return b.toString();
    }

    public UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    /** A document's JSON, shaped like the service's serialisation, of about {@code chars} characters. */
    public byte[] documentJson(UUID id, UUID tenant, int chars) {
        String body = text(chars);
        String json = "{\"content\":\"" + body + "\",\"content_type\":\"text/plain\",\"created_at\":\"2026-11-01T10:00:00Z\",\"id\":\"" + id
                + "\",\"metadata\":{\"lang\":\"en\",\"source\":\"crm\"},\"source_uri\":null,\"tenant_id\":\"" + tenant
                + "\",\"title\":\"" + text(40).replace("\"", "") + "\",\"updated_at\":\"2026-11-02T10:00:00.123456Z\"}\n";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] chunkJson(UUID id, UUID document, UUID tenant, int index, int chars) {
        String json = "{\"chunk_id\":\"" + id + "\",\"chunk_index\":" + index + ",\"created_at\":\"2026-11-01T10:00:00Z\",\"document_id\":\"" + document
                + "\",\"metadata\":{},\"tenant_id\":\"" + tenant + "\",\"text\":\"" + text(chars)
                + "\",\"token_count\":" + (chars / 4) + "}\n";
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
