package io.ordersaga.platform.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

import java.util.List;

/**
 * The description of each service's HTTP interface (OpenAPI 3, by springdoc from the controllers and their
 * constraints: {@code /v3/api-docs}, explored at {@code /swagger-ui.html}), with what the controllers cannot say
 * themselves: every error is {@code application/problem+json} ({@code Problem}), an unknown id is {@code 404}, a bad
 * request {@code 400}, a database that cannot be reached {@code 503} with {@code Retry-After}, and every
 * {@code /admin/*} operation needs the operator credential (the {@code operator} bearer scheme; {@code 401} without
 * it).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(OpenApiCustomizer.class)
public class OpenApiAutoConfiguration {

    static final String PROBLEM = "Problem";
    static final String OPERATOR = "operator";
    static final String PROBLEM_JSON = "application/problem+json";

    @Bean
    public OpenApiCustomizer orderSagaApiDescription(
            @Value("${spring.application.name:order-saga}") String application) {
        return openApi -> describe(openApi, application);
    }

    static void describe(OpenAPI openApi, String application) {
        openApi.info(new Info().title("order-saga: " + application)
                .description("Orders placed over HTTP and driven through inventory, payment, shipping and"
                        + " notification by a saga; every error is application/problem+json.")
                .version("1"));
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.components(components);
        components.addSchemas(PROBLEM, problemSchema());
        components.addSecuritySchemes(OPERATOR, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("The operator credential (ORDERSAGA_ADMIN_TOKEN), for every /admin/* endpoint"));
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                describeErrors(path, method, operation)));
    }

    private static void describeErrors(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        operation.responses(responses);
        boolean takesInput = operation.getRequestBody() != null
                || operation.getParameters() != null && !operation.getParameters().isEmpty();
        if (takesInput) {
            problem(responses, "400", "The request is invalid: the problem names what was wrong");
        }
        if (path.contains("{")) {
            problem(responses, "404", "Nothing with that id");
        }
        if (operation.getRequestBody() != null) {
            problem(responses, "413", "The body is larger than the limit (64 KiB)");
            problem(responses, "415", "The body is not JSON");
        }
        if (path.startsWith("/admin/")) {
            operation.security(List.of(new SecurityRequirement().addList(OPERATOR)));
            problem(responses, "401", "The operator credential is missing or wrong");
        }
        problem(responses, "500", "An unexpected failure; it is safe to retry");
        if (!responses.containsKey("503")) {
            responses.addApiResponse("503", new ApiResponse()
                    .description("The database is unavailable: the request was not carried out; retry after"
                            + " Retry-After seconds")
                    .addHeaderObject("Retry-After", new Header().description("Seconds to wait before retrying")
                            .schema(new IntegerSchema()))
                    .content(problemContent()));
        }
        responses.forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.content(problemContent()); // whatever the controller returns otherwise
            }
        });
    }

    /** Adds a problem+json response for {@code status} unless the operation describes that status itself. */
    static void problem(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description).content(problemContent()));
        }
    }

    private static Content problemContent() {
        return new Content().addMediaType(PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
    }

    /** RFC 9457's problem details, as {@code ApiExceptionHandler} writes them (with {@code errors} for fields). */
    private static Schema<?> problemSchema() {
        ObjectSchema fieldError = new ObjectSchema();
        fieldError.addProperty("field", new StringSchema());
        fieldError.addProperty("message", new StringSchema());
        ObjectSchema problem = new ObjectSchema();
        problem.description("A problem (RFC 9457): what went wrong, for people (detail) and programs (status)");
        problem.addProperty("type", new StringSchema().example("about:blank"));
        problem.addProperty("title", new StringSchema());
        problem.addProperty("status", new IntegerSchema().minimum(java.math.BigDecimal.valueOf(400))
                .maximum(java.math.BigDecimal.valueOf(599)));
        problem.addProperty("detail", new StringSchema());
        problem.addProperty("instance", new StringSchema());
        problem.addProperty("errors", new io.swagger.v3.oas.models.media.ArraySchema().items(fieldError));
        problem.required(List.of("title", "status"));
        return problem;
    }
}
