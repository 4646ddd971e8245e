package dev.switchboard.history;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.history.HistoryViews.ConversationPage;
import dev.switchboard.history.HistoryViews.ConversationView;
import dev.switchboard.history.HistoryViews.MediaView;
import dev.switchboard.history.HistoryViews.MessagePage;
import dev.switchboard.history.HistoryViews.MessageView;
import dev.switchboard.twilio.TwilioConfig;
import dev.switchboard.web.ApiException;

/** Reads conversations and history for clients, checking what they ask for. */
@ApplicationScoped
public class HistoryService {

    private final HistoryStore store;
    private final MediaLinks media;
    private final HistoryConfig config;
    private final TwilioConfig twilio;

    HistoryService(HistoryStore store, MediaLinks media, HistoryConfig config, TwilioConfig twilio) {
        this.store = store;
        this.media = media;
        this.config = config;
        this.twilio = twilio;
    }

    public ConversationPage conversations(String state, Integer limit, String cursor) {
        Conversation.State wanted;
        try {
            wanted = Conversation.State.fromWire(state == null ? "waiting" : state);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("state must be waiting, assigned or closed");
        }
        Page<Conversation> page;
        try {
            page = store.conversations(wanted, pageSize(limit), Optional.ofNullable(cursor));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor is not one this API returned");
        }
        return new ConversationPage(page.items().stream().map(ConversationView::of).toList(), page.next());
    }

    public MessagePage messages(String customer, Integer limit, String before) {
        if (!ConversationKey.isPhoneNumber(customer)) {
            throw ApiException.badRequest("customer must be an E.164 number like +15551234567");
        }
        if (before != null && !MessageIds.isId(before)) {
            throw ApiException.badRequest("before must be a next value this API returned");
        }
        String conversation = new ConversationKey(twilio.businessNumber(), customer).id();
        Page<Message> page = store.messages(conversation, pageSize(limit), Optional.ofNullable(before));
        return new MessagePage(page.items().stream().map(this::view).toList(), page.next());
    }

    private int pageSize(Integer limit) {
        if (limit == null) {
            return config.defaultPageSize();
        }
        if (limit < 1 || limit > config.maxPageSize()) {
            throw ApiException.badRequest("limit must be between 1 and " + config.maxPageSize());
        }
        return limit;
    }

    /** A message as clients see it, stored media as presigned links. */
    public MessageView view(Message m) {
        return new MessageView(m.id(), m.conversation(), m.direction().wire(), m.from(), m.to(), m.body(),
                m.twilioSid(), m.status(), m.createdAt(), m.updatedAt(), m.media().stream().map(this::view).toList(),
                m.details(), m.agent(), m.errorCode(), m.errorMessage(), m.statusTimes(), m.reason(),
                HistoryViews.SentimentView.of(m.sentiment()));
    }

    /** The newest messages of a conversation, oldest first, as an agent's timeline starts. */
    public List<MessageView> recent(String conversation, int count) {
        List<MessageView> views = new ArrayList<>(
                store.messages(conversation, count, Optional.empty()).items().stream().map(this::view).toList());
        Collections.reverse(views);
        return views;
    }

    private MediaView view(MediaItem item) {
        String url = item.state() == MediaItem.State.STORED ? media.presignedGet(item.key()).toString() : null;
        return new MediaView(item.index(), item.contentType(), item.state().wire(), url, item.size(), item.reason());
    }
}
