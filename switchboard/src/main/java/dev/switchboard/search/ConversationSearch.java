package dev.switchboard.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Timeout;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import dev.switchboard.contacts.ContactStore;
import dev.switchboard.contacts.ContactsConfig;
import dev.switchboard.history.Conversation;
import dev.switchboard.history.ConversationKey;
import dev.switchboard.history.HistoryConfig;
import dev.switchboard.history.HistoryStore;
import dev.switchboard.history.HistoryViews.ConversationView;
import dev.switchboard.twilio.TwilioConfig;
import dev.switchboard.web.ApiException;

/**
 * Finds conversations in any state, resolved ones included, by any part of the customer's number or of their contact
 * name. Both are filtered scans (DynamoDB has no substring index), bounded by {@link SearchConfig#maxScannedItems()}
 * items read per table, so a search costs at most that much whatever the table holds; past it the answer says
 * {@code complete: false}.
 */
@ApplicationScoped
public class ConversationSearch {

    /** What a search found, newest conversation first. */
    public record Found(String q, List<Hit> conversations, boolean complete) {
    }

    /** One conversation, with the contact name when there is one. */
    public record Hit(ConversationView conversation, String name) {
    }

    private final DynamoDbClient dynamo;
    private final HistoryConfig history;
    private final HistoryStore store;
    private final ContactsConfig contacts;
    private final TwilioConfig twilio;
    private final SearchConfig config;
    private final ContactStore contactStore;

    ConversationSearch(DynamoDbClient dynamo, HistoryConfig history, HistoryStore store, ContactsConfig contacts,
            TwilioConfig twilio, SearchConfig config, ContactStore contactStore) {
        this.contactStore = contactStore;
        this.dynamo = dynamo;
        this.history = history;
        this.store = store;
        this.contacts = contacts;
        this.twilio = twilio;
        this.config = config;
    }

    @Timeout(15_000)
    public Found search(String q) {
        String text = q == null ? "" : q.strip();
        if (text.codePointCount(0, text.length()) < 2 || text.length() > 64) {
            throw ApiException.badRequest("q must be 2 to 64 characters: part of a number or of a name");
        }
        Map<String, Conversation> found = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        boolean complete = true;
        String digits = text.replaceAll("[^0-9]", "");
        if (digits.length() >= 2) {
            complete &= scan(history.conversationsTable(), "contains(#f, :q)", Conversation.CUSTOMER, digits,
                    item -> found.putIfAbsent(item.get(Conversation.ID).s(), Conversation.from(item)));
        }
        String lower = text.toLowerCase(Locale.ROOT);
        complete &= scan(contacts.table(), "contains(#f, :q)", ContactStore.SEARCH_NAME, lower, item -> {
            String customer = item.get(ContactStore.CUSTOMER).s();
            names.put(customer, item.containsKey("name") ? item.get("name").s() : null);
            String id = new ConversationKey(twilio.businessNumber(), customer).id();
            if (!found.containsKey(id)) {
                store.conversation(id).ifPresent(c -> found.put(id, c));
            }
        });
        List<Conversation> sorted = new ArrayList<>(found.values());
        sorted.sort(Comparator.comparing(Conversation::lastMessageAt, Comparator.nullsLast(Comparator.reverseOrder())));
        boolean cut = sorted.size() > config.maxResults();
        List<Hit> hits = new ArrayList<>();
        for (Conversation c : cut ? sorted.subList(0, config.maxResults()) : sorted) {
            // Found by number: its name is read here, at most maxResults reads.
            String name = names.containsKey(c.customer()) ? names.get(c.customer())
                    : contactStore.find(c.customer()).map(contact -> contact.name()).orElse(null);
            hits.add(new Hit(ConversationView.of(c), name));
        }
        return new Found(text, List.copyOf(hits), complete && !cut);
    }

    /** @return false when the scan stopped at the bound before the table's end */
    private boolean scan(String table, String filter, String attribute, String value,
            java.util.function.Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        int read = 0;
        do {
            ScanResponse page = dynamo.scan(ScanRequest.builder().tableName(table).filterExpression(filter)
                    .expressionAttributeNames(Map.of("#f", attribute))
                    .expressionAttributeValues(Map.of(":q", AttributeValue.fromS(value)))
                    .limit(Math.min(500, config.maxScannedItems() - read)).exclusiveStartKey(start).build());
            page.items().forEach(each);
            read += page.scannedCount();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null && read < config.maxScannedItems());
        return start == null;
    }
}
