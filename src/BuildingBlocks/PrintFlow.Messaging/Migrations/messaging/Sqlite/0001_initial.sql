-- The outbox and inbox of every service's database. Each service's 0001_initial created them until decision 19; a
-- database created so hands them to this stream by this script's name (docs/decisions/0019-migration-streams.md).
CREATE TABLE "inbox_messages" (
    "MessageId" TEXT NOT NULL,
    "Consumer" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "ProcessedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_inbox_messages" PRIMARY KEY ("MessageId", "Consumer")
);


CREATE TABLE "outbox_messages" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_outbox_messages" PRIMARY KEY AUTOINCREMENT,
    "MessageId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "CorrelationId" TEXT NOT NULL,
    "Payload" TEXT NOT NULL,
    "TraceParent" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "DispatchedAt" INTEGER NULL,
    "DeadLetteredAt" INTEGER NULL,
    "Attempts" INTEGER NOT NULL,
    "LastError" TEXT NULL,
    "LockedBy" TEXT NULL,
    "LockedUntil" INTEGER NULL
);


CREATE INDEX "IX_outbox_messages_DispatchedAt_NextAttemptAt_Id" ON "outbox_messages" ("DispatchedAt", "NextAttemptAt", "Id");


CREATE UNIQUE INDEX "IX_outbox_messages_MessageId" ON "outbox_messages" ("MessageId");
