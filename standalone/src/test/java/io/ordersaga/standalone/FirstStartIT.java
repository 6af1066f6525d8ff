package io.ordersaga.standalone;

import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.AppProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app started as README says, on a fresh data folder, as a real process: it is ready only when README's
 * order can be placed, it makes an operator credential for the run and prints it once, and a second copy started on
 * the same data folder refuses to start, changes nothing, and leaves the first one serving orders.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstStartIT {

    private static final String README_IDEMPOTENCY_KEY = "my-first-order";

    private static Path work;
    private static AppProcess app;

    @BeforeAll
    static void startAsAUserWould() {
        work = Path.of("target", "it-first-start", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        app = new AppProcess(work.resolve("data"), work.resolve("logs")).start(); // returns once readiness is UP
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void takesReadmesOrderTheInstantItReportsReady() {
        Api api = app.api();

        Api.Response placed = api.placeOrder(order("+31612345678", "LAPTOP-15", 2, "999.90"),
                "Idempotency-Key", README_IDEMPOTENCY_KEY);

        assertThat(placed.status()).as(placed.body()).isEqualTo(202);
        String orderId = placed.json().get("orderId").asText();
        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(60));
        assertThat(api.get("/actuator/health/readiness").json().path("components").path("demoStock")
                .path("status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void makesAnOperatorCredentialForTheRunPrintsItOnceAndKeepsItForItsOwnerOnly() throws IOException {
        Path file = app.operatorCredentialFile();
        String token = Files.readString(file).trim();

        assertThat(token).matches("[0-9a-f]{48}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(AppProcess.lines(app.log(1)).stream().filter(line -> line.contains(token)))
                .as("the credential is printed once, and nowhere else in the log").hasSize(1);

        Api.Response anonymous = app.api().withoutCredential().get("/admin/faults");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        Api.Response operator = app.api().get("/admin/faults");
        assertThat(operator.status()).as(operator.body()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void aSecondCopyOnTheSameDataFolderRefusesToStartChangesNothingAndTheFirstGoesOn() throws IOException {
        Path postgresFolder = work.resolve("data").resolve("postgres");
        long firstPostgres = app.postgres().orElseThrow().pid();
        String postmasterPid = Files.readString(postgresFolder.resolve("postmaster.pid"));
        String lock = Files.readString(postgresFolder.resolve("epg-lock"));
        String credential = Files.readString(app.operatorCredentialFile());
        List<String> topLevel = listing(work.resolve("data"));

        AppProcess second = new AppProcess(work.resolve("data"), work.resolve("logs-second"));
        int exitCode = second.startExpectingExit(Duration.ofSeconds(120));

        assertThat(exitCode).isNotZero();
        String log = String.join("\n", AppProcess.lines(second.log(1)));
        assertThat(log).contains("APPLICATION FAILED TO START", "is in use by another running copy",
                "(process " + app.pid() + ")", "ORDERSAGA_DATA_DIR");
        assertThat(log).doesNotContain("stopping it first", "Operator credential for");
        assertThat(app.postgres()).as("the first copy's PostgreSQL still runs").isPresent()
                .hasValueSatisfying(postgres -> assertThat(postgres.pid()).isEqualTo(firstPostgres));
        assertThat(Files.readString(postgresFolder.resolve("postmaster.pid"))).isEqualTo(postmasterPid);
        assertThat(Files.readString(postgresFolder.resolve("epg-lock"))).isEqualTo(lock);
        assertThat(Files.readString(app.operatorCredentialFile())).isEqualTo(credential);
        assertThat(listing(work.resolve("data"))).isEqualTo(topLevel);

        Api api = app.api();
        assertThat(api.get("/actuator/health").status()).isEqualTo(200);
        String orderId = api.placeAcceptedOrder(order("+31612345678", "LAPTOP-15", 1, "999.90"));
        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(60));
    }

    private static List<String> listing(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
