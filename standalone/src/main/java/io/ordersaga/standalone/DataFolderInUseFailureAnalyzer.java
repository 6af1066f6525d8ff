package io.ordersaga.standalone;

import io.ordersaga.embeddedpostgres.DataFolderInUseException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A second copy of the app on a data folder that a running copy holds: said in two sentences at start-up, as Spring
 * Boot says why an app cannot start (a port in use, say), instead of a stack trace. The app then exits with 1.
 */
public class DataFolderInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataFolderInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, DataFolderInUseException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Stop the other copy"
                        + cause.owner().stream().mapToObj(pid -> " (process " + pid + ")").findFirst().orElse("")
                        + ", or start this one on a data folder of its own (ORDERSAGA_DATA_DIR=...) and another port"
                        + " (SERVER_PORT=...).", cause);
    }
}
