package io.ordersaga.platform.faults;

import java.util.Set;

/**
 * A place where faults can be injected, declared by the service that owns it (e.g. {@code payment.charge}), with
 * the faults that make sense there ({@code DECLINED} only where there is a provider to refuse).
 */
public record FaultTarget(String name, Set<Fault> supported) {

    public FaultTarget {
        supported = Set.copyOf(supported);
    }
}
