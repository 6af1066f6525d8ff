package io.ordersaga.standalone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Hands the credential {@link DemoOperatorCredential} made to the one who started the app: written to
 * {@code ordersaga.demo.admin-token-file} ({@code data/admin-token}, readable by its owner only), where
 * {@code bin/audit} and README's commands find it, and printed once. It runs once the app has its database — so a
 * second copy, refused its data folder, leaves the first one's credential alone.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class DemoOperatorCredentialFile implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoOperatorCredentialFile.class);

    private final boolean generated;
    private final String token;
    private final Path file;

    DemoOperatorCredentialFile(@Value("${" + DemoOperatorCredential.GENERATED + ":false}") boolean generated,
                               @Value("${" + DemoOperatorCredential.TOKEN + ":}") String token,
                               @Value("${ordersaga.demo.admin-token-file:data/admin-token}") String file) {
        this.generated = generated;
        this.token = token;
        this.file = Path.of(file);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!generated) {
            return;
        }
        try {
            Path absolute = file.toAbsolutePath();
            Files.createDirectories(absolute.getParent());
            Path written = Files.createTempFile(absolute.getParent(), ".admin-token", ".tmp");
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            }
            Files.writeString(written, token + "\n");
            Files.move(written, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.info("Operator credential for /admin/* (made for this run, kept in {} for bin/audit): {}", absolute,
                    token);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the operator credential to " + file, e);
        }
    }
}
