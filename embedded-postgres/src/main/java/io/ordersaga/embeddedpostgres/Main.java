package io.ordersaga.embeddedpostgres;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a PostgreSQL server in the foreground until the process is stopped (Ctrl-C or SIGTERM):
 * {@code java -jar embedded-postgres-exec.jar DATA_DIR PORT}. Used by {@code bin/run-services} when no database is
 * given, so that the five services can run on a machine without PostgreSQL installed.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: java -jar embedded-postgres-exec.jar DATA_DIR PORT");
            System.exit(2);
        }
        EmbeddedPostgresServer server;
        try {
            server = EmbeddedPostgresServer.start(Path.of(args[0]), Integer.parseInt(args[1]), true);
        } catch (DataFolderInUseException inUse) {
            System.err.println(inUse.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "postgres-stopper"));
        System.out.println("PostgreSQL is ready at " + server.jdbcUrl() + " (user " + server.username() + ")");
        stopped.await();
    }
}
