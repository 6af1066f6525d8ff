package io.ordersaga.platform;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one service as a process of its own. Its configuration is {@code ordersaga-services.yml} (what the five
 * services share when deployed apart: the event store, commands between processes, discovery) and then its own
 * {@code <service>.yml} (name, port), which wins; the environment and the command line override both.
 */
public final class ServiceApplications {

    private ServiceApplications() {
    }

    public static ConfigurableApplicationContext run(Class<?> application, String service, String[] args) {
        return new SpringApplicationBuilder(application)
                .properties("spring.config.name=ordersaga-services," + service)
                .run(args);
    }
}
