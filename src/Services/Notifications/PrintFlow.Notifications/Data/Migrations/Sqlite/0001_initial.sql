-- The schema of the EF model when migrations began: printflow-schema script notifications sqlite
CREATE TABLE "customer_preferences" (
    "CustomerId" TEXT NOT NULL CONSTRAINT "PK_customer_preferences" PRIMARY KEY,
    "OptionalOff" INTEGER NOT NULL,
    "Language" TEXT NULL,
    "UpdatedAt" INTEGER NOT NULL
);


CREATE TABLE "notifications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_notifications" PRIMARY KEY,
    "EventKey" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Recipient" TEXT NOT NULL,
    "RecipientName" TEXT NOT NULL,
    "OrderId" TEXT NOT NULL,
    "CustomerId" TEXT NOT NULL,
    "Language" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "HtmlBody" TEXT NOT NULL,
    "TextBody" TEXT NOT NULL,
    "UnsubscribeUrl" TEXT NOT NULL,
    "EventAt" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "State" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "LastAttemptAt" INTEGER NULL,
    "SentAt" INTEGER NULL,
    "ParkedAt" INTEGER NULL,
    "LastError" TEXT NULL,
    "LockedBy" TEXT NULL,
    "LockedUntil" INTEGER NULL
);


CREATE INDEX "IX_notifications_CreatedAt" ON "notifications" ("CreatedAt");


CREATE UNIQUE INDEX "IX_notifications_EventKey_Recipient_Kind" ON "notifications" ("EventKey", "Recipient", "Kind");


CREATE INDEX "IX_notifications_Pending" ON "notifications" ("NextAttemptAt") WHERE "State" = 'Pending';
