package io.ordersaga.platform.faults;

/** What an injected fault makes of one attempt at a target. */
public enum Fault {
    /** the call hangs past the saga's step timeout, then fails: a real timeout */
    TIMEOUT,
    /** the call fails at once, as a service or provider that is down */
    UNAVAILABLE,
    /** the provider refuses: payment declined, shipment undeliverable, message rejected */
    DECLINED,
    /** the call goes through as normal */
    OK
}
