package dev.connectorruntime.host.triggers;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where subscriptions and the state of their deliveries are kept (embedded H2, or Redis for several hosts). */
interface SubscriptionStore {

    void add(WebhookSubscription subscription);

    Optional<WebhookSubscription> find(String id);

    List<WebhookSubscription> all();

    /** Removes the subscription and its delivery records; false when there was none. */
    boolean remove(String id);

    /** Inserts or replaces the record of this subscription and event. */
    void record(DeliveryRecord record);

    Optional<DeliveryRecord> delivery(String subscriptionId, String eventId);

    /** The latest records of a subscription, newest first. */
    List<DeliveryRecord> deliveries(String subscriptionId, int limit);

    /** Dead letters asked to be sent again, oldest first. */
    List<DeliveryRecord> redeliveries(String subscriptionId);

    /** Forgets delivery records last changed before {@code cutoff}. */
    void purgeOlderThan(Instant cutoff);
}
