-- Issue 4: the relay's claim takes the oldest undispatched rows in id order. With a day of dispatched rows kept
-- (Messaging:OutboxRetention), the planner walked the primary key through all of them: 274 ms a relay round with
-- 500,000 dispatched rows behind the pending ones (bench/retention.sh), growing with the history. This index holds
-- only the rows still to send.
CREATE INDEX "IX_outbox_messages_Pending" ON outbox_messages ("Id") WHERE "DispatchedAt" IS NULL AND "DeadLetteredAt" IS NULL;
