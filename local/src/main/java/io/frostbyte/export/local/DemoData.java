package io.frostbyte.export.local;

import io.frostbyte.export.config.Config;
import io.frostbyte.export.db.Database;
import io.frostbyte.export.db.DemoRows;
import io.frostbyte.export.export.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Seeds two demo tenants with realistic documents and chunks (idempotent), and prints the demo
 * tenant's document ids, one per line. Run: {@code java -cp frostbyte-local.jar io.frostbyte.export.local.DemoData}.
 */
public final class DemoData {
    public static final UUID DEMO_TENANT = UUID.fromString("11111111-1111-4111-8111-111111111111");
    public static final UUID OTHER_TENANT = UUID.fromString("22222222-2222-4222-8222-222222222222");

    private static final String[] TITLES = {
        "Quarterly revenue review", "Customer onboarding checklist", "Incident report: storage latency",
        "Data retention policy", "Product roadmap notes", "Security audit findings", "Support ticket summary",
        "Contract renewal terms", "Release notes 4.2", "Market research brief", "Team offsite agenda", "Pricing proposal"};
    private static final String[] SENTENCES = {
        "Revenue grew in the northern region while costs stayed flat compared with the previous quarter.",
        "The onboarding team confirmed that every new account receives a welcome call within two days.",
        "Latency on the storage tier rose after the deployment and returned to normal once the cache was warmed.",
        "Records are kept for seven years unless a customer asks for earlier deletion in writing.",
        "Engineering will prioritise search quality and export reliability over the next two releases.",
        "Auditors recommended rotating credentials quarterly and enabling multi-factor authentication for all staff.",
        "Most tickets this month concerned invoice formatting, followed by questions about data exports.",
        "The renewal keeps current pricing for twelve months and adds a clause on service credits.",
        "This release improves signed exports, adds progress reporting and fixes two rare upload errors.",
        "Interviews suggest that mid-sized firms value provable data handoffs more than raw speed.",
        "The agenda covers planning for next year, a security workshop and a review of customer feedback.",
        "We propose a usage-based tier with a generous free allowance for small teams."};

    private DemoData() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.putIfAbsent("FROSTBYTE_STORAGE", "local");
        env.putIfAbsent("EXPORT_STORAGE_PATH", ".local/bundles");
        env.putIfAbsent("FROSTBYTE_KEYSTORE", "local");
        env.putIfAbsent("FROSTBYTE_KEYSTORE_DIR", ".local/keys");
        Database db = Database.fromConfig(Config.fromEnv(env));
        io.frostbyte.export.db.Migrations.apply(db);
        seed(db, OTHER_TENANT, 5, 99);
        for (UUID id : seed(db, DEMO_TENANT, 12, 7)) System.out.println(id);
    }

    /** Inserts {@code count} documents with 3-6 chunks each for the tenant, unless present; returns their ids. */
    public static List<UUID> seed(Database db, UUID tenant, int count, long seed) throws StoreException {
        Random random = new Random(seed);
        List<UUID> ids = new ArrayList<>();
        List<DemoRows.Document> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = new UUID(tenant.getMostSignificantBits(), 0x8000_0000_0000_0000L | (seed << 16) | i);
            ids.add(id);
            StringBuilder content = new StringBuilder();
            int sentences = 8 + random.nextInt(20);
            for (int s = 0; s < sentences; s++) content.append(SENTENCES[random.nextInt(SENTENCES.length)]).append(' ');
            String text = content.toString();
            int chunkCount = 3 + random.nextInt(4);
            int size = Math.max(1, text.length() / chunkCount);
            List<String> chunks = new ArrayList<>();
            for (int k = 0; k < chunkCount; k++) {
                chunks.add(text.substring(Math.min(text.length(), k * size),
                        k == chunkCount - 1 ? text.length() : Math.min(text.length(), (k + 1) * size)).trim());
            }
            documents.add(new DemoRows.Document(id, tenant, TITLES[i % TITLES.length], "s3://demo-sources/" + tenant + "/" + i + ".txt",
                    text.trim(), "{\"department\":\"" + (i % 2 == 0 ? "finance" : "operations") + "\",\"lang\":\"en\"}", chunks));
        }
        DemoRows.insert(db, documents);
        return ids;
    }
}
