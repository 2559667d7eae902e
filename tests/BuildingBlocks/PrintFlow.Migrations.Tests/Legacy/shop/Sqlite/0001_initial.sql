-- The schema of the EF model when migrations began: printflow-schema script shop sqlite
CREATE TABLE "customers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_customers" PRIMARY KEY,
    "Email" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "inbox_messages" (
    "MessageId" TEXT NOT NULL,
    "Consumer" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "ProcessedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_inbox_messages" PRIMARY KEY ("MessageId", "Consumer")
);


CREATE TABLE "orders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_orders" PRIMARY KEY,
    "CustomerId" TEXT NOT NULL,
    "CustomerName" TEXT NOT NULL,
    "CustomerEmail" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "LeadTime" TEXT NOT NULL,
    "SubmittedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "LastReason" TEXT NULL,
    "Message" TEXT NULL,
    "MessageAt" INTEGER NULL,
    "ConfirmationRequestedFor" TEXT NULL,
    "CancellationRequestedAt" INTEGER NULL,
    "ConcurrencyStamp" INTEGER NOT NULL,
    "ItemsJson" TEXT NOT NULL,
    "HistoryJson" TEXT NOT NULL,
    "QuoteJson" TEXT NULL
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


CREATE UNIQUE INDEX "IX_customers_Email" ON "customers" ("Email");


CREATE INDEX "IX_orders_CustomerId_SubmittedAt" ON "orders" ("CustomerId", "SubmittedAt");


CREATE INDEX "IX_outbox_messages_DispatchedAt_NextAttemptAt_Id" ON "outbox_messages" ("DispatchedAt", "NextAttemptAt", "Id");


CREATE UNIQUE INDEX "IX_outbox_messages_MessageId" ON "outbox_messages" ("MessageId");
