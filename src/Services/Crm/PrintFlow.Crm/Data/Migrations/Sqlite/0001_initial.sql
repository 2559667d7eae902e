-- The schema of the EF model when migrations began: printflow-schema script crm sqlite
CREATE TABLE "customers" (
    "Channel" TEXT NOT NULL,
    "CustomerId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Email" TEXT NOT NULL,
    "SearchText" TEXT NOT NULL,
    "FirstOrderAt" INTEGER NULL,
    "LastOrderAt" INTEGER NULL,
    "OrderCount" INTEGER NOT NULL,
    "Revenue" TEXT NOT NULL,
    "Currency" TEXT NULL,
    "ConcurrencyStamp" INTEGER NOT NULL,
    CONSTRAINT "PK_customers" PRIMARY KEY ("Channel", "CustomerId")
);


CREATE TABLE "notes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_notes" PRIMARY KEY,
    "Channel" TEXT NOT NULL,
    "CustomerId" TEXT NOT NULL,
    "Author" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);


CREATE TABLE "orders" (
    "OrderId" TEXT NOT NULL CONSTRAINT "PK_orders" PRIMARY KEY,
    "Channel" TEXT NOT NULL,
    "CustomerId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "ItemCount" INTEGER NOT NULL,
    "Amount" TEXT NULL,
    "Currency" TEXT NULL,
    "SubmittedAt" INTEGER NOT NULL,
    "SubmissionSeen" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "RevenueCounted" INTEGER NOT NULL
);


CREATE TABLE "sales_managers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_sales_managers" PRIMARY KEY,
    "Email" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL
);


CREATE INDEX "IX_customers_LastOrderAt" ON "customers" ("LastOrderAt");


CREATE INDEX "IX_notes_Channel_CustomerId_At" ON "notes" ("Channel", "CustomerId", "At");


CREATE INDEX "IX_orders_Channel_CustomerId_SubmittedAt" ON "orders" ("Channel", "CustomerId", "SubmittedAt");


CREATE UNIQUE INDEX "IX_sales_managers_Email" ON "sales_managers" ("Email");
