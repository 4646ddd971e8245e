package dev.switchboard.contacts;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.security.identity.SecurityIdentity;

import dev.switchboard.agents.Roles;

/** Customers' names and notes, for any agent. */
@Path("/contacts")
@RolesAllowed({ Roles.AGENT, Roles.ADMIN })
@Produces(MediaType.APPLICATION_JSON)
public class ContactsResource {

    private final ContactService contacts;
    private final SecurityIdentity identity;

    ContactsResource(ContactService contacts, SecurityIdentity identity) {
        this.contacts = contacts;
        this.identity = identity;
    }

    @GET
    @Path("{customer}")
    public Contact get(@RestPath String customer) {
        return contacts.find(customer);
    }

    @PUT
    @Path("{customer}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Contact put(@RestPath String customer, ContactService.ContactUpdate update) {
        return contacts.put(customer, update, identity.getPrincipal().getName());
    }
}
