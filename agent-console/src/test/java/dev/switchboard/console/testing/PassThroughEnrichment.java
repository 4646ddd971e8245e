package dev.switchboard.console.testing;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Multi;

import dev.switchboard.console.enrich.Enrichment;

/**
 * Frames unchanged, for as long as the application has no enrichment of its own (a default bean: the real one, once
 * present, replaces it).
 */
@DefaultBean
@ApplicationScoped
public class PassThroughEnrichment implements Enrichment {

    @Override
    public Multi<ObjectNode> enrich(Multi<ObjectNode> upstream) {
        return upstream;
    }
}
