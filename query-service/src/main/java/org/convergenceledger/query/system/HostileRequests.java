package org.convergenceledger.query.system;

import org.convergenceledger.web.WebEdge;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The query service's reads answer odd paths in the one error format, with the edge both services share
 * ({@link WebEdge}: the firewall's and Tomcat's refusals and /error as problem+json). The command service adds a body
 * size limit (reads take no body).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@Import(WebEdge.class)
class HostileRequests {
}
