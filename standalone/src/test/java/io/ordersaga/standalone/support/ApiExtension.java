package io.ordersaga.standalone.support;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ModifierSupport;
import org.junit.platform.commons.support.ReflectionSupport;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringExtension;

import java.lang.reflect.Field;

/**
 * The client of the app Spring started for the test class ({@link StandaloneIT}): every {@link Api} field of the test
 * is set to a client of the app's port that sends the app's operator credential, and after each test the faults it
 * injected are cleared, so that the next test meets a healthy system.
 */
public final class ApiExtension implements TestInstancePostProcessor, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ApiExtension.class);

    @Override
    public void postProcessTestInstance(Object test, ExtensionContext context) throws IllegalAccessException {
        for (Field field : ReflectionSupport.findFields(test.getClass(),
                field -> field.getType() == Api.class && ModifierSupport.isNotStatic(field),
                HierarchyTraversalMode.TOP_DOWN)) {
            field.setAccessible(true);
            field.set(test, api(context));
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        api(context).clearFaults();
    }

    /** One client for the test class, on the port and with the credential of the app Spring started for it. */
    private static Api api(ExtensionContext context) {
        ExtensionContext testClass = context;
        while (testClass.getTestMethod().isPresent()) {
            testClass = testClass.getParent().orElseThrow();
        }
        return testClass.getStore(NAMESPACE).getOrComputeIfAbsent(Api.class, key -> {
            Environment app = SpringExtension.getApplicationContext(context).getEnvironment();
            String token = app.getRequiredProperty("ordersaga.admin.token");
            return Api.onPort(app.getRequiredProperty("local.server.port", Integer.class), token);
        }, Api.class);
    }
}
