package io.ordersaga.platform.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A refused body reads the same whether its method has constraints of its own (method validation, Spring's
 * {@code HandlerMethodValidationException}) or not ({@code MethodArgumentNotValidException}): each field by its path,
 * and a header by the name the request gives it.
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
