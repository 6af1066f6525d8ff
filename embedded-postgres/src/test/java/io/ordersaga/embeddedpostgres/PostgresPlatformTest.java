package io.ordersaga.embeddedpostgres;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresPlatformTest {

    @ParameterizedTest(name = "{0} {1} → {2}")
    @CsvSource({
            "Linux,          amd64,   postgres-linux-x86_64.txz",
            "Linux,          x86_64,  postgres-linux-x86_64.txz",
            "Linux,          aarch64, postgres-linux-arm_64.txz",
            "Mac OS X,       x86_64,  postgres-darwin-x86_64.txz",
            "Mac OS X,       aarch64, postgres-darwin-arm_64.txz",
            "Windows 11,     amd64,   postgres-windows-x86_64.txz",
            "Windows Server 2022, amd64, postgres-windows-x86_64.txz"})
    void choosesTheBinariesOfTheMachineItRunsOn(String osName, String osArch, String resource) {
        PostgresPlatform platform = PostgresPlatform.of(osName, osArch);

        assertThat(platform.resource()).isEqualTo(resource);
        assertThat(PostgresPlatform.BUNDLED).contains(platform);
    }

    @Test
    void carriesTheBinariesOfEveryPlatformItNames() throws Exception {
        assertThat(PostgresPlatform.BUNDLED).hasSize(5);
        for (PostgresPlatform platform : PostgresPlatform.BUNDLED) {
            try (InputStream archive = platform.openBinaries()) {
                byte[] magic = archive.readNBytes(6);
                assertThat(magic).as("%s is an xz archive", platform.resource())
                        .containsExactly(0xFD, '7', 'z', 'X', 'Z', 0x00);
            }
        }
    }

    @Test
    void namesItsProgramsAsEachSystemDoes() {
        assertThat(PostgresPlatform.of("Windows 10", "amd64").program("pg_ctl")).isEqualTo("pg_ctl.exe");
        assertThat(PostgresPlatform.of("Linux", "amd64").program("pg_ctl")).isEqualTo("pg_ctl");
        assertThat(PostgresPlatform.of("Mac OS X", "aarch64").isWindows()).isFalse();
    }

    @Test
    void refusesAPlatformItCarriesNothingFor() {
        PostgresPlatform solaris = PostgresPlatform.of("SunOS", "sparcv9");

        assertThat(PostgresPlatform.BUNDLED).doesNotContain(solaris);
        assertThatThrownBy(solaris::openBinaries).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No PostgreSQL binaries for").hasMessageContaining("SPRING_DATASOURCE_URL");
    }
}
