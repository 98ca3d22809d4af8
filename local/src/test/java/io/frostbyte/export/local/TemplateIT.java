package io.frostbyte.export.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.frostbyte.export.testing.Gpg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The SAM template lints, points at handler classes its artifacts hold, and scopes IAM. */
class TemplateIT {
    static final Path ROOT = LocalStack.root();

    static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("template.yaml").toFile());
    }

    @Test
    void cfnLint_passes() throws Exception {
        Path cfnLint = ROOT.resolve(".services/venv/bin/cfn-lint");
        if (!Files.isExecutable(cfnLint)) {
            throw new AssertionError("cfn-lint is not installed at " + cfnLint + "; run scripts/services up (it installs moto[server], which brings cfn-lint)");
        }
        Gpg.Result r = Gpg.exec(List.of(cfnLint.toString(), "template.yaml"), ROOT);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
    }

    /** A function's CodeUri is its Maven module; the module's trimmed jar is what sam build unpacks. */
    static Path artifactOf(String codeUri) {
        String module = Path.of(codeUri).getFileName().toString();
        return ROOT.resolve(codeUri).resolve("target").resolve(module + "-lambda.jar");
    }

    static Gpg.Result sam(Path dir, String... args) throws Exception {
        Path sam = ROOT.resolve(".services/venv/bin/sam");
        if (!Files.isExecutable(sam)) {
            throw new AssertionError("the SAM CLI is not installed at " + sam + "; run scripts/services up (it installs aws-sam-cli into the project's venv)");
        }
        List<String> cmd = new ArrayList<>(List.of(sam.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        // Offline and account-free: no telemetry, a region for the linter's checks.
        pb.environment().put("SAM_CLI_TELEMETRY", "0");
        pb.environment().putIfAbsent("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().putIfAbsent("AWS_REGION", "us-east-1");
        Path out = Files.createTempFile("sam", ".log");
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = pb.start();
        if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("sam " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        String text = Files.readString(out);
        Files.deleteIfExists(out);
        return new Gpg.Result(p.exitValue(), text, "");
    }

    @Test
    void samValidateLint_passes() throws Exception {
        Gpg.Result r = sam(ROOT, "validate", "--lint", "--template", "template.yaml");
        assertEquals(0, r.exit(), r.stdout());
        assertTrue(r.stdout().contains("is a valid SAM Template"), r.stdout());
    }

    @Test
    void samBuild_unpacksEachFunctionsOwnArtifact(@org.junit.jupiter.api.io.TempDir Path buildDir) throws Exception {
        // samconfig.toml makes a plain `sam build` build in source; the Makefiles reuse the jars
        // this Maven run packaged (they rebuild only when a source is newer).
        Gpg.Result r = sam(ROOT, "build", "--template", "template.yaml", "--build-dir", buildDir.toString());
        assertEquals(0, r.exit(), r.stdout());
        Iterator<Map.Entry<String, JsonNode>> resources = template().get("Resources").fields();
        int built = 0;
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> res = resources.next();
            if (!"AWS::Serverless::Function".equals(res.getValue().path("Type").asText())) continue;
            JsonNode props = res.getValue().get("Properties");
            Path artifact = artifactOf(props.get("CodeUri").asText());
            Path dir = buildDir.resolve(res.getKey());
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                assertEquals(List.of(dir.resolve("lib").resolve(artifact.getFileName())), files.filter(Files::isRegularFile).toList(),
                        res.getKey() + ": the built code is the module's jar under lib/, and nothing else");
            }
            assertEquals(-1L, Files.mismatch(artifact, dir.resolve("lib").resolve(artifact.getFileName())), res.getKey() + ": the jar as Maven made it");
            built++;
        }
        assertEquals(10, built);
        assertTrue(Files.readString(buildDir.resolve("template.yaml")).contains("CodeUri: CreateExportFunction"), "sam build wrote its template");
    }

    @Test
    void everyFunction_handlerClassIsInItsArtifact_andHeavyToolsAreNot() throws Exception {
        Iterator<Map.Entry<String, JsonNode>> resources = template().get("Resources").fields();
        int functions = 0;
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> r = resources.next();
            if (!"AWS::Serverless::Function".equals(r.getValue().path("Type").asText())) continue;
            functions++;
            JsonNode props = r.getValue().get("Properties");
            Path artifact = artifactOf(props.get("CodeUri").asText());
            assertEquals("makefile", r.getValue().at("/Metadata/BuildMethod").asText(), r.getKey() + ": sam build runs the module's Makefile");
            assertTrue(Files.isRegularFile(ROOT.resolve(props.get("CodeUri").asText()).resolve("Makefile")), r.getKey() + ": no Makefile in its CodeUri");
            assertTrue(Files.isRegularFile(artifact), r.getKey() + ": artifact " + artifact + " not built (mvn package)");
            String handler = props.get("Handler").asText();
            String className = handler.substring(0, handler.indexOf("::"));
            try (JarFile jar = new JarFile(artifact.toFile())) {
                assertNotNull(jar.getEntry(className.replace('.', '/') + ".class"), r.getKey() + ": " + className + " not in " + artifact);
                assertTrue(jar.getEntry("io/frostbyte/export/verify/cli/FrostbyteVerify.class") == null, "the verify CLI is in " + artifact);
                assertTrue(jar.getEntry("io/frostbyte/export/local/LocalRunner.class") == null, "the local runner is in " + artifact);
                assertTrue(jar.getEntry("software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class") == null, "Netty HTTP client in " + artifact);
                assertTrue(jar.getEntry("software/amazon/awssdk/http/apache/ApacheHttpClient.class") == null, "Apache HTTP client in " + artifact);
            }
            assertEquals("java21", props.has("Runtime") ? props.get("Runtime").asText() : template().at("/Globals/Function/Runtime").asText());
        }
        assertEquals(10, functions);
    }

    @Test
    void iam_noS3OrSecretsManagerActionOnStar() throws Exception {
        List<String> checked = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> resources = template().get("Resources").fields();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> r = resources.next();
            for (JsonNode policy : r.getValue().path("Properties").path("Policies")) {
                assertTrue(policy.isObject() && policy.has("Statement"), r.getKey() + ": use explicit statements, not managed policies: " + policy);
                for (JsonNode st : policy.get("Statement")) {
                    List<String> actions = new ArrayList<>();
                    if (st.get("Action").isArray()) st.get("Action").forEach(a -> actions.add(a.asText())); else actions.add(st.get("Action").asText());
                    List<String> resourcesOf = new ArrayList<>();
                    if (st.get("Resource").isArray()) st.get("Resource").forEach(a -> resourcesOf.add(a.asText())); else resourcesOf.add(st.get("Resource").asText());
                    for (String action : actions) {
                        assertFalse(action.equals("*") || action.endsWith(":*"), r.getKey() + " grants wildcard action " + action);
                        if (action.startsWith("s3:") || action.startsWith("secretsmanager:")) {
                            for (String res : resourcesOf) {
                                assertFalse(res.equals("*"), r.getKey() + " grants " + action + " on *");
                                checked.add(r.getKey() + " " + action + " " + res);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked.size() >= 7, "expected the worker's and get-export's scoped grants: " + checked);
    }

    @Test
    void worker_scheduleAndLimits() throws Exception {
        JsonNode worker = template().at("/Resources/ExportWorkerFunction/Properties");
        assertEquals(900, worker.get("Timeout").asInt());
        assertEquals("rate(1 minute)", worker.at("/Events/Drain/Properties/Schedule").asText());
        assertEquals("arm64", template().at("/Globals/Function/Architectures/0").asText());
        assertEquals("PublishedVersions", template().at("/Globals/Function/SnapStart/ApplyOn").asText());
    }

    @Test
    void importWorker_s3EventOnImportsPrefix_leastPrivilege_noSecretsManager() throws Exception {
        JsonNode worker = template().at("/Resources/ImportWorkerFunction/Properties");
        assertEquals("S3", worker.at("/Events/Uploaded/Type").asText());
        assertEquals("imports/", worker.at("/Events/Uploaded/Properties/Filter/S3Key/Rules/0/Value").asText());
        assertEquals("BundleBucket", worker.at("/Events/Uploaded/Properties/Bucket").asText());
        List<String> actions = new java.util.ArrayList<>();
        List<String> resources = new java.util.ArrayList<>();
        for (JsonNode policy : worker.path("Policies")) {
            for (JsonNode st : policy.path("Statement")) {
                st.path("Action").forEach(a -> actions.add(a.asText()));
                if (st.path("Action").isTextual()) actions.add(st.path("Action").asText());
                resources.add(st.path("Resource").toString());
            }
        }
        assertEquals(List.of("s3:GetObject", "s3:DeleteObject"), actions, "the import worker reads and drops uploads, nothing else");
        assertTrue(resources.stream().allMatch(r -> r.contains("/imports/*")), resources.toString());
        assertFalse(worker.toString().contains("secretsmanager"), "the import worker needs no Secrets Manager access of its own");
        // Its one Secrets Manager right comes from the shared database-login policy: GetSecretValue on that secret alone.
        JsonNode shared = template().at("/Resources/DatabaseSecretAccess/Properties");
        assertTrue(shared.path("Roles").toString().contains("ImportWorkerFunctionRole"), shared.toString());
        assertEquals(1, shared.at("/PolicyDocument/Statement").size(), shared.toString());
        assertEquals("secretsmanager:GetSecretValue", shared.at("/PolicyDocument/Statement/0/Action").asText());
        assertEquals("DatabaseSecretArn", shared.at("/PolicyDocument/Statement/0/Resource").asText(), "not the tenant keys");
        for (var it = template().path("Resources").fields(); it.hasNext(); ) {
            var r = it.next();
            if (r.getValue().path("Type").asText().equals("AWS::IAM::Policy") && !r.getKey().equals("DatabaseSecretAccess")
                    && r.getValue().toString().contains("ImportWorkerFunctionRole")) {
                assertFalse(r.getValue().toString().contains("secretsmanager"), r.getKey() + " gives the import worker Secrets Manager");
            }
        }
        JsonNode create = template().at("/Resources/CreateImportFunction/Properties/Policies/0/Statement/0");
        assertEquals("s3:PutObject", create.path("Action").asText());
        assertTrue(create.path("Resource").toString().contains("/imports/*"), create.toString());
        boolean expires = false;
        for (JsonNode rule : template().at("/Resources/BundleBucket/Properties/LifecycleConfiguration/Rules")) {
            if (rule.path("Prefix").asText().equals("imports/") && rule.has("ExpirationInDays")) expires = true;
        }
        assertTrue(expires, "uploads under imports/ expire");
    }

    @Test
    void observability_tracingJsonLogsAndAlarmsOnTheEmittedMetrics() throws Exception {
        JsonNode t = template(); // short-form intrinsics read as their argument: !Ref X is "X", !If [C, a, b] is [C, a, b]
        assertEquals("Active", t.at("/Globals/Function/Tracing").asText());
        assertTrue(t.at("/Globals/Api/TracingEnabled").asBoolean(), "X-Ray on the API");
        assertEquals("JSON", t.at("/Globals/Function/LoggingConfig/LogFormat").asText());
        assertEquals("LogLevel", t.at("/Globals/Function/LoggingConfig/ApplicationLogLevel").asText());
        assertEquals("AWS::StackName", t.at("/Globals/Function/Environment/Variables/FROSTBYTE_SERVICE_NAME").asText());
        String namespace = t.at("/Globals/Function/Environment/Variables/FROSTBYTE_METRICS_NAMESPACE").asText();
        Map<String, String> alarmed = new java.util.TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> resources = t.get("Resources").fields();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> r = resources.next();
            if (!"AWS::CloudWatch::Alarm".equals(r.getValue().path("Type").asText())) continue;
            JsonNode p = r.getValue().get("Properties");
            assertEquals(namespace, p.get("Namespace").asText(), r.getKey() + " watches the namespace the functions write");
            assertEquals("Service", p.at("/Dimensions/0/Name").asText(), r.getKey());
            assertEquals("AWS::StackName", p.at("/Dimensions/0/Value").asText(), r.getKey());
            for (String actions : List.of("AlarmActions", "OKActions")) {
                assertEquals("HasAlarmTopic", p.at("/" + actions + "/0").asText(), r.getKey() + " " + actions + " go to the optional topic");
            }
            alarmed.put(p.get("MetricName").asText(), r.getKey());
        }
        assertEquals(java.util.Set.of("ExportsFailed", "DeadLetteredJobs", "OldestPendingAge"), alarmed.keySet());
        // Metric documents are lines Lambda counts as INFO: a level above it would drop them and blind the alarms.
        List<String> levels = new ArrayList<>();
        t.at("/Parameters/LogLevel/AllowedValues").forEach(v -> levels.add(v.asText()));
        assertEquals(List.of("TRACE", "DEBUG", "INFO"), levels);
        String operations = Files.readString(ROOT.resolve("docs/operations.md"));
        for (String alarm : alarmed.values()) assertTrue(operations.contains(alarm), "docs/operations.md does not explain " + alarm);
        // Each alarmed metric is one the code emits.
        String worker = Files.readString(ROOT.resolve("service/src/main/java/io/frostbyte/export/export/ExportWorker.java"));
        for (String metric : alarmed.keySet()) assertTrue(worker.contains("\"" + metric + "\""), metric + " is not emitted by the worker");
    }

    @Test
    void tenantClaim_theStacksAppClientCannotWriteIt_andTheFunctionsAcceptOnlyThatClient() throws Exception {
        JsonNode t = template();
        JsonNode client = t.at("/Resources/TenantAppClient");
        assertEquals("AWS::Cognito::UserPoolClient", client.path("Type").asText());
        assertEquals("TenantAttributeWriters", client.at("/Properties/WriteAttributes").asText());
        for (String writable : t.at("/Parameters/TenantAttributeWriters/Default").asText().split(",")) {
            assertFalse(writable.contains("tenant"), "users may write " + writable);
        }
        assertEquals("TenantAppClient", t.at("/Globals/Function/Environment/Variables/FROSTBYTE_COGNITO_CLIENT_IDS").asText());
        assertTrue(Files.readString(ROOT.resolve("docs/deploy.md")).contains("WriteAttributes"), "docs/deploy.md explains the claim");
    }

    @Test
    void kms_optionalKeyGrantsOnlyGenerateDataKeyAndDecryptViaS3_toTheFunctionsThatTouchBundles() throws Exception {
        JsonNode t = template();
        JsonNode grants = t.at("/Resources/BundleKmsGrants");
        assertEquals("HasKmsKey", grants.path("Condition").asText());
        List<String> roles = new ArrayList<>();
        grants.at("/Properties/Roles").forEach(r -> roles.add(r.asText()));
        assertEquals(List.of("ExportWorkerFunctionRole", "GetExportFunctionRole", "CreateImportFunctionRole", "ImportWorkerFunctionRole"), roles);
        JsonNode st = grants.at("/Properties/PolicyDocument/Statement/0");
        assertEquals("[\"kms:GenerateDataKey\",\"kms:Decrypt\"]", st.get("Action").toString());
        assertEquals("BundleKmsKeyArn", st.get("Resource").asText());
        assertTrue(st.at("/Condition/StringEquals").has("kms:ViaService"));
        assertEquals("HasKmsKey", t.at("/Resources/BundleBucket/Properties/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm/0").asText());
        assertTrue(t.at("/Parameters/DownloadUrlTtlSeconds/MaxValue").asInt() <= 43200, "no TTL beyond a role session");
    }

    @Test
    void databaseLogin_fromTheSecret_everyFunctionMayReadThatSecretOnly_andTheUrlHoldsNoPassword() throws Exception {
        JsonNode t = template();
        assertEquals("DatabaseSecretArn", t.at("/Globals/Function/Environment/Variables/DATABASE_SECRET_ARN").asText());
        JsonNode policy = t.at("/Resources/DatabaseSecretAccess/Properties");
        List<String> roles = new ArrayList<>();
        policy.get("Roles").forEach(r -> roles.add(r.asText()));
        Iterator<Map.Entry<String, JsonNode>> resources = t.get("Resources").fields();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> r = resources.next();
            if ("AWS::Serverless::Function".equals(r.getValue().path("Type").asText())) {
                assertTrue(roles.contains(r.getKey() + "Role"), r.getKey() + " cannot read the database login");
                assertEquals("DatabaseSecretAccess", r.getValue().path("DependsOn").asText(),
                        r.getKey() + ": its versions are initialised (SnapStart) only once it may read the login");
            }
        }
        JsonNode st = policy.at("/PolicyDocument/Statement/0");
        assertEquals("secretsmanager:GetSecretValue", st.get("Action").asText());
        assertEquals("DatabaseSecretArn", st.get("Resource").asText());
        java.util.regex.Pattern url = java.util.regex.Pattern.compile(t.at("/Parameters/DatabaseUrl/AllowedPattern").asText());
        assertTrue(url.matcher("postgresql://db.example.internal:5432/frostbyte").matches());
        assertFalse(url.matcher("postgresql://frostbyte:secret@db.example.internal:5432/frostbyte").matches(), "a password in the URL");
        assertEquals("[\"DatabaseSecretAccess\",\"TenantAppClient\"]", t.at("/Resources/SchemaMigration/DependsOn").toString(),
                "the deploy-time checks run once the login is readable and the stack's client exists");
        assertTrue(t.at("/Resources/SchemaMigration/Properties").has("UserPoolId"), "the tenant-claim guard checks the pool");
    }
}
