package io.frostbyte.export.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout's promises, checked on the production classes of every module (the local runner's
 * classpath sees them all): the bundle library knows nothing of the service; the service knows
 * nothing of its functions; dependencies point handlers → service → ports ← adapters; SQL lives in
 * {@code db}; the API's classes never reach the worker's clients.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
                .importPackages("io.frostbyte.export");
    }

    private static final String[] SERVICE = {"..export.api..", "..export.app..", "..export.config..", "..export.db..",
        "..export.export..", "..export.imports..", "..export.keys..", "..export.queue..", "..export.storage.."};

    @Test
    void bundleLibrary_importsNothingOfTheService() {
        noClasses().that().resideInAnyPackage("..export.bundle..", "..export.verify..", "..export.signing..", "..export.json..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICE)
                .orShould().dependOnClassesThat().resideInAnyPackage("..export.functions..", "..export.local..")
                .check(classes);
    }

    @Test
    void service_importsNoFunctionOrRunner() {
        noClasses().that().resideInAnyPackage(SERVICE)
                .should().dependOnClassesThat().resideInAnyPackage("..export.functions..", "..export.local..")
                .check(classes);
    }

    @Test
    void javaSql_onlyInDb() {
        noClasses().that().resideOutsideOfPackage("..export.db..")
                .should().dependOnClassesThat().resideInAPackage("java.sql..")
                .check(classes);
    }

    @Test
    void services_dependOnPortsNotOnAdaptersOrTheApi() {
        noClasses().that().resideInAnyPackage("..export.export..", "..export.imports..")
                .or().haveFullyQualifiedName("io.frostbyte.export.keys.TenantKeyService")
                .should().dependOnClassesThat().resideInAnyPackage("..export.db..", "..export.queue.redis..", "..export.storage.s3..",
                        "..export.storage.local..", "..export.keys.local..", "..export.keys.secretsmanager..", "..export.api..",
                        "..export.app..")
                .check(classes);
    }

    @Test
    void apiFunctions_neverReachTheWorkersClients() {
        noClasses().that().resideInAnyPackage("..export.api..", "..export.export..", "..export.config..")
                .or().haveFullyQualifiedName("io.frostbyte.export.app.ApiWiring")
                .or().haveSimpleName("CreateExportHandler").or().haveSimpleName("GetExportHandler")
                .or().haveSimpleName("PublicKeyHandler").or().haveSimpleName("WorkerTrigger")
                .or().haveSimpleName("CreateImportHandler").or().haveSimpleName("GetImportHandler")
                .should().dependOnClassesThat().resideInAnyPackage("io.lettuce..", "org.flywaydb..",
                        "software.amazon.awssdk.services.secretsmanager..")
                .orShould().dependOnClassesThat().haveSimpleName("RedisJobQueue")
                .orShould().dependOnClassesThat().haveSimpleName("WorkerWiring")
                .orShould().dependOnClassesThat().haveSimpleName("Migrations")
                .check(classes);
    }

    @Test
    void database_adaptersNeedNoMigrationTool() {
        noClasses().that().resideInAPackage("..export.db..").and().doNotHaveSimpleName("Migrations")
                .should().dependOnClassesThat().resideInAnyPackage("org.flywaydb..", "io.lettuce..")
                .check(classes);
    }

    /** Verify-before-import holds no private key: nothing on its path reaches a key store or a signer. */
    @Test
    void importPath_neverReachesPrivateKeys() {
        noClasses().that().resideInAnyPackage("..export.imports..")
                .or().haveFullyQualifiedName("io.frostbyte.export.app.ImportWiring")
                .or().haveSimpleName("ImportWorkerHandler").or().haveSimpleName("CreateImportHandler").or().haveSimpleName("GetImportHandler")
                .should().dependOnClassesThat().haveSimpleName("TenantKeyStore")
                .orShould().dependOnClassesThat().haveSimpleName("TenantSigningKey")
                .orShould().dependOnClassesThat().haveSimpleName("TenantKeyService")
                .orShould().dependOnClassesThat().haveSimpleName("WorkerWiring")
                .orShould().dependOnClassesThat().resideInAnyPackage("..export.keys.local..", "..export.keys.secretsmanager..",
                        "software.amazon.awssdk.services.secretsmanager..", "io.lettuce..")
                .check(classes);
    }
}
