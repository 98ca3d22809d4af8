package io.frostbyte.export.verify.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** frostbyte-verify reads bundles only: no database, queue, AWS or Lambda code in its jar. */
class VerifyJarIT {
    @Test
    void jar_holdsNoServiceDependencies() throws Exception {
        List<String> forbidden = List.of("org/postgresql/", "io/lettuce/", "io/netty/", "com/amazonaws/", "software/amazon/", "org/flywaydb/");
        try (JarFile jar = new JarFile(Cli.jar().toFile())) {
            jar.stream().forEach(e -> forbidden.forEach(f ->
                    assertTrue(!e.getName().startsWith(f), "frostbyte-verify.jar holds " + e.getName())));
            assertTrue(jar.getEntry("io/frostbyte/export/verify/BundleVerifier.class") != null);
        }
    }
}
