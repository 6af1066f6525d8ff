package io.ordersaga.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The demo's operator credential: when the all-in-one app is started without one ({@code ORDERSAGA_ADMIN_TOKEN}) and
 * listens on this machine only ({@code server.address} a loopback address, the demo's default), a random one is made
 * for the run, so that {@code /admin/*} is closed to everyone but whoever can read the app's log or its data folder
 * ({@link DemoOperatorCredentialFile} writes it there for {@code bin/audit} and prints it once). An app listening
 * beyond this machine gets none: its {@code /admin/*} refuses every call until a credential is configured.
 */
public class DemoOperatorCredential implements EnvironmentPostProcessor {

    static final String TOKEN = "ordersaga.admin.token";
    /** Set, to {@code true}, only when the credential was made here. */
    static final String GENERATED = "ordersaga.admin.token-generated";
    static final String ENABLED = "ordersaga.demo.generate-admin-token";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(TOKEN);
        if ((configured != null && !configured.isBlank())
                || !environment.getProperty(ENABLED, Boolean.class, false)
                || !isLoopback(environment.getProperty("server.address"))) {
            return;
        }
        byte[] token = new byte[24];
        RANDOM.nextBytes(token);
        environment.getPropertySources().addFirst(new MapPropertySource("demoOperatorCredential",
                Map.of(TOKEN, HexFormat.of().formatHex(token), GENERATED, "true")));
    }

    /** Whether the server listens on a loopback address only (no address: on every interface). */
    static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException unknown) {
            return false;
        }
    }
}
