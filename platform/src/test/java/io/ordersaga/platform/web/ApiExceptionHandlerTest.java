package io.ordersaga.platform.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A refused body reads the same whether its method has constraints of its own (method validation, Spring's
 * {@code HandlerMethodValidationException}) or not ({@code MethodArgumentNotValidException}): each field by its path,
 * and a header by the name the request gives it. A database that cannot be reached is a {@code 503} with
 * {@code Retry-After} that says nothing internal; a bug stays a {@code 500}.
 */
class ApiExceptionHandlerTest {

    record Line(@NotBlank String sku, @Max(10) int quantity) {
    }

    record Body(@NotBlank String name, List<@Valid Line> lines) {
    }

    @RestController
    static class Endpoints {

        @PostMapping("/body")
        String body(@Valid @RequestBody Body body) {
            return "ok";
        }

        @PostMapping("/database-down")
        String databaseDown() {
            throw new IllegalStateException("Placing order o-1 failed", new ExecutionException(
                    new EventStoreException("An event for aggregate [o-1] could not be stored",
                            new CannotCreateTransactionException("Could not open JPA EntityManager for transaction",
                                    new SQLTransientConnectionException("HikariPool-1 - Connection is not available,"
                                            + " request timed out after 1000ms.", new PSQLException(
                                            "Connection to localhost:5432 refused.",
                                            PSQLState.CONNECTION_UNABLE_TO_CONNECT))))));
        }

        @GetMapping("/server-shutting-down")
        String serverShuttingDown() {
            throw new DataAccessResourceFailureException("could not execute query", new SQLException(
                    "FATAL: terminating connection due to administrator command", "57P01"));
        }

        @PostMapping("/bug")
        String bug() {
            throw new IllegalStateException("Placing order o-1 failed", new DataIntegrityViolationException(
                    "duplicate key", new SQLException("duplicate key value violates unique constraint", "23505")));
        }

        @PostMapping("/header-and-body")
        String headerAndBody(@RequestHeader(name = "Request-Key", required = false)
                             @Pattern(regexp = "^[a-z]+$", message = "must be lower-case letters") String key,
                             @Valid @RequestBody Body body) {
            return "ok";
        }
    }

    private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new Endpoints())
            .setControllerAdvice(new ApiExceptionHandler())
            .build();

    @Test
    void answersServiceUnavailableWithRetryAfterWhenTheDatabaseCannotBeReached() throws Exception {
        mvc.perform(post("/database-down"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "5"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(503))
                .andExpect(jsonPath("$.title").value("Database unavailable"))
                .andExpect(jsonPath("$.detail").value("The request was not carried out: the database is unavailable."
                        + " Retry after 5 s; an order sent again with the same Idempotency-Key is placed once."))
                .andExpect(content().string(not(anyOf(containsString("Hikari"), containsString("JPA"),
                        containsString("localhost"), containsString("Exception")))));
    }

    @Test
    void answersServiceUnavailableWhenThePostgresServerIsShuttingDown() throws Exception {
        MockMvc withLongerWait = MockMvcBuilders.standaloneSetup(new Endpoints())
                .setControllerAdvice(new ApiExceptionHandler(Duration.ofMillis(2500)))
                .build();

        withLongerWait.perform(get("/server-shutting-down"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "3"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("the database is unavailable")));
    }

    @Test
    void answersAGenuineFailureWithAPlainInternalErrorAndNoRetryAfter() throws Exception {
        mvc.perform(post("/bug"))
                .andExpect(status().isInternalServerError())
                .andExpect(header().doesNotExist(HttpHeaders.RETRY_AFTER))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Internal error"))
                .andExpect(content().string(not(containsString("duplicate key"))));
    }

    private static final String INVALID_BODY = "{\"name\": \" \", \"lines\": [{\"sku\": \"A\", \"quantity\": 11}]}";

    @Test
    void namesTheFieldsOfABodyValidatedOnItsOwn() throws Exception {
        mvc.perform(post("/body").contentType(MediaType.APPLICATION_JSON).content(INVALID_BODY))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("lines[0].quantity: must be less than or equal to 10;"
                        + " name: must not be blank"));
    }

    @Test
    void namesTheFieldsOfABodyValidatedWithItsMethodAlike() throws Exception {
        mvc.perform(post("/header-and-body").contentType(MediaType.APPLICATION_JSON).content(INVALID_BODY))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.detail").value("lines[0].quantity: must be less than or equal to 10;"
                        + " name: must not be blank"))
                .andExpect(jsonPath("$.errors[0].field").value("lines[0].quantity"));
    }

    @Test
    void namesAHeaderAsTheRequestSpellsIt() throws Exception {
        mvc.perform(post("/header-and-body").header("Request-Key", "NOT OK").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"n\", \"lines\": []}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Request-Key: must be lower-case letters"))
                .andExpect(jsonPath("$.errors[0].field").value("Request-Key"));
    }

    @Test
    void namesAHeaderAndTheBodysFieldsTogether() throws Exception {
        mvc.perform(post("/header-and-body").header("Request-Key", "NOT OK").contentType(MediaType.APPLICATION_JSON)
                        .content(INVALID_BODY))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("Request-Key: must be lower-case letters;"
                        + " lines[0].quantity: must be less than or equal to 10; name: must not be blank"));
    }
}
