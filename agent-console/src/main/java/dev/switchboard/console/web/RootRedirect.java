package dev.switchboard.console.web;

import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/** Everything the console serves lives under {@code /console}, the path the load balancer routes to it. */
@jakarta.enterprise.context.ApplicationScoped
public class RootRedirect {

    void routes(@Observes Router router) {
        router.get("/").handler(context -> context.redirect("/console/"));
        router.getWithRegex("/console").handler(context -> context.redirect("/console/"));
    }
}
