package io.ordersaga.order.web;

import io.ordersaga.platform.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A query parameter that an endpoint of this service does not take is refused ({@code 400} problem+json naming it)
 * instead of ignored: {@code GET /orders?customer=c-42} does not silently list every order.
 */
@Configuration
public class KnownQueryParameters implements WebMvcConfigurer, HandlerInterceptor {

    private final Map<HandlerMethod, Set<String>> known = new ConcurrentHashMap<>();

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && method.getBeanType().isAnnotationPresent(RestController.class)
                && method.getBeanType().getPackageName().equals(KnownQueryParameters.class.getPackageName())) {
            Set<String> names = known.computeIfAbsent(method, KnownQueryParameters::parametersOf);
            Set<String> unknown = queryParameters(request.getQueryString());
            unknown.removeAll(names);
            if (!unknown.isEmpty()) {
                throw ApiException.badRequest("Unknown query parameter" + (unknown.size() == 1 ? " " : "s ")
                        + String.join(", ", unknown.stream().map(name -> "'" + name + "'").toList())
                        + (names.isEmpty() ? ": this endpoint takes none"
                        : ": this endpoint takes " + String.join(", ", new TreeSet<>(names))));
            }
        }
        return true;
    }

    /** The names in the query string (a form body's fields are not query parameters). */
    private static Set<String> queryParameters(String query) {
        Set<String> names = new TreeSet<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!name.isEmpty()) {
                    try {
                        names.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException malformed) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    private static Set<String> parametersOf(HandlerMethod method) {
        Set<String> names = new TreeSet<>();
        for (MethodParameter parameter : method.getMethodParameters()) {
            RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
            if (param != null) {
                names.add(!param.name().isEmpty() ? param.name()
                        : !param.value().isEmpty() ? param.value() : parameter.getParameterName());
            }
        }
        return names;
    }
}
