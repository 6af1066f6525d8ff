package io.ordersaga.standalone.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One of the project's scripts ({@code bin/...}) run as an operator types it: its exit code and what it printed. */
public record Cli(int exitCode, String output) {

    /**
     * Runs {@code script} with {@code arguments}, its environment this JVM's plus {@code environment} (a {@code null}
     * value removes a variable); fails the test if it runs for more than a minute.
     */
    public static Cli run(Path script, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(script.getFileName() + " ended").isTrue();
        System.out.println("$ " + script.getFileName() + " " + String.join(" ", arguments) + "\n" + output);
        return new Cli(process.exitValue(), output);
    }
}
