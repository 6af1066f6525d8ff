package io.ordersaga.standalone;

import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operator endpoint — each request mapping under {@code /admin} the app has, found in Spring MVC's own
 * mappings, so that one added later is covered too — refuses a call without the operator credential, or with a wrong
 * one: {@code 401} problem+json, before its handler runs.
 */
@StandaloneIT
class OperatorEndpointsIT {

    Api api;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Endpoint(String method, String path) {
    }

    @Test
    void everyOperatorEndpointRefusesACallWithoutTheOperatorCredential() {
        List<Endpoint> endpoints = operatorEndpoints();
        assertThat(endpoints).as("the operator endpoints the app serves").extracting(Endpoint::path)
                .contains("/admin/faults", "/admin/audit", "/admin/audit/rebuild", "/admin/dead-letters");
        Api anonymous = api.withoutCredential();

        for (Endpoint endpoint : endpoints) {
            for (String authorization : new String[]{null, "Bearer not-the-credential", "Bearer "}) {
                HttpRequest.Builder request = anonymous.request(endpoint.path())
                        .header("Content-Type", "application/json")
                        .method(endpoint.method(), HttpRequest.BodyPublishers.ofString("{}"));
                if (authorization != null) {
                    request.header("Authorization", authorization);
                }

                Api.Response response = anonymous.send(request);

                assertThat(response.status()).as("%s %s with Authorization %s", endpoint.method(), endpoint.path(),
                        authorization).isEqualTo(401);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
            }
        }
        // with the credential the same endpoints answer: the refusals were the credential's
        assertThat(api.get("/admin/faults").status()).isEqualTo(200);
        assertThat(api.get("/admin/audit").status()).isEqualTo(200);
    }

    /** Each method and path of every request mapping under /admin, with its path variables filled in. */
    private List<Endpoint> operatorEndpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (RequestMappingInfo mapping : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
            for (String pattern : mapping.getPatternValues()) {
                if (!pattern.equals("/admin") && !pattern.startsWith("/admin/")) {
                    continue;
                }
                String path = pattern.replaceAll("\\{[^}]*}", "x");
                if (methods.isEmpty()) {
                    endpoints.add(new Endpoint("GET", path));
                    endpoints.add(new Endpoint("POST", path));
                } else {
                    methods.forEach(method -> endpoints.add(new Endpoint(method.name(), path)));
                }
            }
        }
        return endpoints;
    }
}
