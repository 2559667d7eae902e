-- The schema of the EF model when migrations began: printflow-schema script pricing sqlite
CREATE TABLE "analysis_cache" (
    "Sha256" TEXT NOT NULL,
    "AnalysisVersion" INTEGER NOT NULL,
    "ResultJson" TEXT NOT NULL,
    "AnalysisMilliseconds" REAL NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_analysis_cache" PRIMARY KEY ("Sha256", "AnalysisVersion")
);


CREATE TABLE "exact_jobs" (
    "EstimateQuoteId" TEXT NOT NULL CONSTRAINT "PK_exact_jobs" PRIMARY KEY,
    "OrderId" TEXT NOT NULL,
    "RequestJson" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "ClaimedBy" TEXT NULL,
    "LeaseUntil" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CompletedAt" INTEGER NULL,
    "RefinedQuoteId" TEXT NULL,
    "FailureCode" TEXT NULL,
    "FailureReason" TEXT NULL
);


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


CREATE INDEX "IX_exact_jobs_OrderId" ON "exact_jobs" ("OrderId");


CREATE INDEX "IX_exact_jobs_State_CreatedAt" ON "exact_jobs" ("State", "CreatedAt");


CREATE INDEX "IX_outbox_messages_DispatchedAt_NextAttemptAt_Id" ON "outbox_messages" ("DispatchedAt", "NextAttemptAt", "Id");


CREATE UNIQUE INDEX "IX_outbox_messages_MessageId" ON "outbox_messages" ("MessageId");
