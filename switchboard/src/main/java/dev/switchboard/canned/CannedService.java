package dev.switchboard.canned;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.switchboard.web.ApiException;

/** Canned replies as admins write them and agents read them, with the checks on what admins send. */
@ApplicationScoped
public class CannedService {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final CannedStore store;
    private final CannedConfig config;
    private final Clock clock;

    @Inject
    CannedService(CannedStore store, CannedConfig config) {
        this.store = store;
        this.config = config;
        this.clock = Clock.systemUTC();
    }

    public List<CannedReply> list() {
        return store.list();
    }

    CannedReply create(CannedRules.Draft request, String admin) {
        CannedRules.Draft draft = CannedRules.check(request);
        Instant now = now();
        CannedReply reply = new CannedReply(UUID.randomUUID().toString(), draft.shortcut(), draft.text(), now, now,
                admin);
        return switch (store.create(reply)) {
        case DONE -> reply;
        case SHORTCUT_TAKEN -> throw shortcutTaken(draft.shortcut());
        case FULL -> throw ApiException.conflict("there are already " + config.maxReplies()
                + " canned replies, the most allowed (switchboard.canned.max-replies): delete one first");
        default -> throw ApiException.conflict("the canned reply changed meanwhile; try again");
        };
    }

    CannedReply replace(String id, CannedRules.Draft request, String admin) {
        CannedRules.Draft draft = CannedRules.check(request);
        CannedReply before = find(id);
        CannedReply after = new CannedReply(id, draft.shortcut(), draft.text(), before.createdAt(), now(), admin);
        return switch (store.replace(before, after)) {
        case DONE -> after;
        case MISSING -> throw notFound(id);
        case SHORTCUT_TAKEN -> throw shortcutTaken(draft.shortcut());
        default -> throw ApiException.conflict("the canned reply changed meanwhile; reload it and try again");
        };
    }

    void delete(String id) {
        CannedReply reply = find(id);
        switch (store.delete(reply)) {
        case DONE -> {
        }
        case MISSING -> throw notFound(id);
        default -> throw ApiException.conflict("the canned reply changed meanwhile; reload it and try again");
        }
    }

    // Ids are UUIDs: anything else is no reply, and never reaches DynamoDB (whose keys have limits of their own).
    private CannedReply find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw notFound(String.valueOf(id).substring(0, Math.min(40, String.valueOf(id).length())));
        }
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    // Stored as epoch milliseconds: what is returned equals what a later read gives.
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no canned reply " + id);
    }

    private static ApiException shortcutTaken(String shortcut) {
        return ApiException.conflict("the shortcut /" + shortcut + " is taken by another canned reply");
    }
}
