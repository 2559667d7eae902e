-- Issue 4: the relay's claim takes the oldest undispatched rows in id order; this index holds only the rows still to
-- send, so a claim does not walk the dispatched history kept for Messaging:OutboxRetention.
CREATE INDEX "IX_outbox_messages_Pending" ON "outbox_messages" ("Id") WHERE "DispatchedAt" IS NULL AND "DeadLetteredAt" IS NULL;
