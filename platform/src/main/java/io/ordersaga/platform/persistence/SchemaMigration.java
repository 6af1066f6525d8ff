package io.ordersaga.platform.persistence;

/**
 * A set of Flyway migrations owned by one part of the system, with a history table of its own
 * ({@code flyway_history_<name>}), so each service migrates its own tables whether it runs alone or beside the
 * others. Migrations run in ascending {@code order}; Axon's shared tables come first.
 */
public record SchemaMigration(String name, int order, String location) {

    public String historyTable() {
        return "flyway_history_" + name;
    }
}
