package dev.connectorruntime.host.triggers;

import java.time.Duration;
import java.util.List;

/**
 * One subscription's events in the order they were stored, with its progress kept durably: an event
 * comes again after a crash until it is acknowledged.
 */
interface SubscriptionFeed {

    /**
     * Whether this host may deliver for the subscription now: always on the embedded store; on Redis
     * while it holds the subscription's lease, so one host at a time delivers and order is kept.
     */
    boolean claim();

    /** The next events not yet acknowledged, oldest first; waits up to {@code wait} when there are none. */
    List<TriggerEvent> next(int max, Duration wait) throws InterruptedException;

    /**
     * The event is handled: delivered or dead-lettered ({@code outcome}, stored with the progress, in
     * one transaction where the store has them), or not for this subscription ({@code outcome} null).
     */
    void acknowledge(TriggerEvent event, DeliveryRecord outcome);

    /** Gives the subscription up (the host stops or the subscription is gone). */
    void release();

    /** Creates the feeds of subscriptions on one store. */
    interface Source {
        /** Starts a new subscription at the end of the log: it receives the events stored from now on. */
        void created(WebhookSubscription subscription);

        SubscriptionFeed open(WebhookSubscription subscription);

        /** Drops what the source kept for a removed subscription. */
        void removed(String subscriptionId);
    }
}
