package io.ordersaga.platform.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Spring Security for the customer and stock endpoints: {@code POST /orders} and {@code PUT /inventory/{sku}} need
 * an API key ({@code X-Api-Key}) where {@code ordersaga.security.required} is set — compose sets it; the all-in-one
 * demo does not — and {@code POST /orders} is rate-limited per client where {@code ordersaga.security.orders-per-period}
 * is set. Everything else is as before: stateless, no sessions, no CSRF tokens (no cookies to ride on), no login
 * page; the operator and service-to-service endpoints keep their bearer credentials (filters ahead of this chain).
 * The chain sees only those two endpoints.
 */
@AutoConfiguration(before = {SecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableWebSecurity
@EnableConfigurationProperties(ApiSecuritySettings.class)
public class ApiSecurityAutoConfiguration {

    @Bean
    public SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiSecuritySettings settings)
            throws Exception {
        // only the requests it has a rule for go through the chain: every other one (an order read, a command
        // between the services, the operator's endpoints with their own credential, the actuator) skips it — the
        // chain's dozen filters were a sixth of the HTTP threads' CPU. Spring Security's firewall still checks all.
        http.securityMatchers(matchers -> matchers.requestMatchers(HttpMethod.POST, "/orders")
                        .requestMatchers(HttpMethod.PUT, "/inventory/**"))
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(settings.apiKeys()),
                        AnonymousAuthenticationFilter.class)
                .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, exception) ->
                        Problems.write(response, 401, "Unauthorized", "This endpoint needs an API key ("
                                + ApiKeyAuthenticationFilter.HEADER + ")")))
                .authorizeHttpRequests(requests -> {
                    if (settings.required()) {
                        requests.requestMatchers(HttpMethod.POST, "/orders").authenticated()
                                .requestMatchers(HttpMethod.PUT, "/inventory/**").authenticated();
                    }
                    requests.anyRequest().permitAll();
                });
        if (settings.ordersPerPeriod() > 0) {
            http.addFilterAfter(new OrderRateLimitFilter(settings.ordersPerPeriod(), settings.period()),
                    AuthorizationFilter.class);
        }
        return http.build();
    }

    /** No users: clients are known by their API keys only (and Spring Boot makes no password up). */
    @Bean
    public UserDetailsService noUsers() {
        return new InMemoryUserDetailsManager();
    }
}
