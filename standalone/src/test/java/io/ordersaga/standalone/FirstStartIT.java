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
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged app started as README says, on a fresh data folder, as a real process: it is ready only when README's
 * order can be placed, and it makes an operator credential for the run and prints it once.
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
}
