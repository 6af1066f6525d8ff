package io.ordersaga.embeddedpostgres;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A PostgreSQL data folder that another running copy of the app holds: its server is live and serves that copy, so
 * this one starts nothing and changes nothing there.
 */
public class DataFolderInUseException extends IllegalStateException {

    private final Path dataDirectory;
    private final OptionalLong owner;

    public DataFolderInUseException(Path dataDirectory, OptionalLong owner) {
        super("The PostgreSQL data folder " + dataDirectory + " is in use by another running copy"
                + owner.stream().mapToObj(pid -> " (process " + pid + ")").findFirst().orElse("")
                + "; this one leaves it alone. Stop that copy first, or give this one a data folder of its own"
                + " (ORDERSAGA_DATA_DIR).");
        this.dataDirectory = dataDirectory;
        this.owner = owner;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The process id of the copy that holds the folder, when it could be read. */
    public OptionalLong owner() {
        return owner;
    }
}
