package io.ordersaga.standalone.support;

import io.ordersaga.standalone.OrderSagaApplication;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The all-in-one app on a real PostgreSQL of its own (a fresh database in {@code target/}, not flushed to disk:
 * the data is thrown away), on a random port. Test classes with this annotation share one running app; they use
 * SKUs of their own so that they do not disturb each other's stock. A class that adds settings of its own
 * ({@code @TestPropertySource}, {@code @Import}) gets an app of its own. Metrics are exported as in production
 * ({@code /actuator/prometheus}), which Spring Boot's tests switch off unless asked.
 *
 * <p>A test's {@link Api} field is the client of the running app, with its operator credential, and the faults a
 * test injects are cleared after it ({@link ApiExtension}).
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@AutoConfigureObservability
@SpringBootTest(classes = OrderSagaApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "ordersaga.embedded-postgres.data-dir=target/it-postgres/${random.uuid}",
                "ordersaga.embedded-postgres.durable=false",
                "ordersaga.demo.stock=",
                "ordersaga.admin.token=" + Api.OPERATOR_TOKEN
        })
@ExtendWith(ApiExtension.class)
public @interface StandaloneIT {
}
