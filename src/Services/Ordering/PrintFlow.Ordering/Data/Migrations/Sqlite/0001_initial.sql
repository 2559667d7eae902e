-- The schema of the EF model when migrations began: printflow-schema script ordering sqlite
CREATE TABLE "orders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_orders" PRIMARY KEY,
    "Number" TEXT NOT NULL,
    "Channel" TEXT NOT NULL,
    "CustomerId" TEXT NOT NULL,
    "CustomerName" TEXT NOT NULL,
    "CustomerEmail" TEXT NOT NULL,
    "LeadTime" TEXT NOT NULL,
    "DueDate" INTEGER NULL,
    "AutoConfirmBelow" TEXT NULL,
    "SubmittedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "StatusSince" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL,
    "Reason" TEXT NULL,
    "PricingAttempt" INTEGER NOT NULL,
    "QuoteId" TEXT NULL,
    "QuoteAmount" TEXT NULL,
    "QuoteValidUntil" INTEGER NULL,
    "JobId" TEXT NULL,
    "ManufacturingSequence" INTEGER NOT NULL,
    "RedrivenAt" INTEGER NULL,
    "Redrives" INTEGER NOT NULL,
    "ItemsJson" TEXT NOT NULL,
    "QuoteJson" TEXT NULL
);


CREATE TABLE "order_transitions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_order_transitions" PRIMARY KEY AUTOINCREMENT,
    "OrderId" TEXT NOT NULL,
    "From" TEXT NULL,
    "To" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Reason" TEXT NULL,
    CONSTRAINT "FK_order_transitions_orders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "orders" ("Id") ON DELETE CASCADE
);


CREATE INDEX "IX_order_transitions_OrderId_Id" ON "order_transitions" ("OrderId", "Id");


CREATE UNIQUE INDEX "IX_orders_Number" ON "orders" ("Number");


CREATE INDEX "IX_orders_Status_StatusSince" ON "orders" ("Status", "StatusSince");
