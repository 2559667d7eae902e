-- The schema of the EF model when migrations began: printflow-schema script shop sqlite
CREATE TABLE "customers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_customers" PRIMARY KEY,
    "Email" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
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


CREATE UNIQUE INDEX "IX_customers_Email" ON "customers" ("Email");


CREATE INDEX "IX_orders_CustomerId_SubmittedAt" ON "orders" ("CustomerId", "SubmittedAt");
