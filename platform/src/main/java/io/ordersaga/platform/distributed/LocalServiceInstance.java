package io.ordersaga.platform.distributed;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

import java.net.URI;

/**
 * This process as a member of its service: the command router recognises itself among the discovered instances by
 * this URI, so it must be the same as the one the service's discovery entry gives.
 */
class LocalServiceInstance extends DefaultServiceInstance implements Registration {

    LocalServiceInstance(String serviceId, URI uri) {
        super(serviceId + "@" + uri.getHost() + ":" + uri.getPort(), serviceId, uri.getHost(), uri.getPort(),
                "https".equals(uri.getScheme()));
        setUri(uri);
    }
}
