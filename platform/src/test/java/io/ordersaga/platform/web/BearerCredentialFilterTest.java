package io.ordersaga.platform.web;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class BearerCredentialFilterTest {

    @Test
    void refusesEveryCallWhenNoCredentialIsConfigured() throws Exception {
        BearerCredentialFilter filter = new BearerCredentialFilter("", "the operator credential", "ORDERSAGA_ADMIN_TOKEN");

        for (String authorization : new String[]{null, "", "Bearer ", "Bearer", "Bearer x", "Basic Og=="}) {
            Call call = call(filter, authorization);

            assertThat(call.passed()).as("Authorization: %s", authorization).isFalse();
            assertThat(call.response().getStatus()).isEqualTo(401);
            assertThat(call.response().getContentType()).isEqualTo("application/problem+json");
            assertThat(call.response().getContentAsString()).contains("none is configured", "ORDERSAGA_ADMIN_TOKEN");
        }
        assertThat(filter.isConfigured()).isFalse();
    }

    @Test
    void letsOnlyTheConfiguredCredentialThrough() throws Exception {
        BearerCredentialFilter filter = new BearerCredentialFilter("s3cret", "the operator credential",
                "ORDERSAGA_ADMIN_TOKEN");

        assertThat(call(filter, "Bearer s3cret").passed()).isTrue();
        for (String authorization : new String[]{null, "Bearer ", "Bearer s3cre", "Bearer s3cret2", "s3cret"}) {
            Call call = call(filter, authorization);
            assertThat(call.passed()).as("Authorization: %s", authorization).isFalse();
            assertThat(call.response().getStatus()).isEqualTo(401);
            assertThat(call.response().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(call.response().getContentAsString()).doesNotContain("s3cret");
        }
    }

    @Test
    void guardsTheOperatorEndpointsWhetherOrNotACredentialIsConfigured() {
        WebApplicationContextRunner runner = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(WebPlatformAutoConfiguration.class));

        runner.run(context -> {
            FilterRegistrationBean<?> registration = context.getBean("operatorAccessFilter",
                    FilterRegistrationBean.class);
            assertThat(registration.isEnabled()).isTrue();
            assertThat(registration.getUrlPatterns()).containsExactly("/admin/*");
            assertThat(((BearerCredentialFilter) registration.getFilter()).isConfigured()).isFalse();
        });
        runner.withPropertyValues("ordersaga.admin.token=s3cret").run(context -> assertThat(
                ((BearerCredentialFilter) context.getBean("operatorAccessFilter", FilterRegistrationBean.class)
                        .getFilter()).isConfigured()).isTrue());
    }

    private record Call(boolean passed, MockHttpServletResponse response) {
    }

    private static Call call(BearerCredentialFilter filter, String authorization) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/admin/faults");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Call(chain.getRequest() != null, response);
    }
}
