-- The schema of the EF model when migrations began: printflow-schema script partners sqlite
CREATE TABLE "idempotency_records" (
    "PartnerId" TEXT NOT NULL,
    "Key" TEXT NOT NULL,
    "RequestHash" TEXT NOT NULL,
    "OrderId" TEXT NOT NULL,
    "StatusCode" INTEGER NOT NULL,
    "ResponseBody" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_idempotency_records" PRIMARY KEY ("PartnerId", "Key")
);


CREATE TABLE "partner_orders" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_partner_orders" PRIMARY KEY,
    "PartnerId" TEXT NOT NULL,
    "OrderNumber" TEXT NOT NULL,
    "Reference" TEXT NULL,
    "Status" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "LeadTime" TEXT NOT NULL,
    "DueDate" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "SortKey" TEXT NOT NULL,
    "ConfirmationRequestedFor" TEXT NULL,
    "CancellationRequestedAt" INTEGER NULL,
    "items" TEXT NULL,
    "message" TEXT NULL,
    "quote" TEXT NULL
);


CREATE TABLE "partners" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_partners" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "ContactEmail" TEXT NOT NULL,
    "AutoConfirmBelow" TEXT NULL,
    "RequestsPerMinute" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "partner_order_history" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_partner_order_history" PRIMARY KEY AUTOINCREMENT,
    "Version" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Reason" TEXT NULL,
    "OrderId" TEXT NOT NULL,
    CONSTRAINT "FK_partner_order_history_partner_orders_OrderId" FOREIGN KEY ("OrderId") REFERENCES "partner_orders" ("Id") ON DELETE CASCADE
);


CREATE TABLE "partner_api_keys" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_partner_api_keys" PRIMARY KEY,
    "PartnerId" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    "Hint" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    CONSTRAINT "FK_partner_api_keys_partners_PartnerId" FOREIGN KEY ("PartnerId") REFERENCES "partners" ("Id") ON DELETE CASCADE
);


CREATE UNIQUE INDEX "IX_partner_api_keys_Hash" ON "partner_api_keys" ("Hash");


CREATE INDEX "IX_partner_api_keys_PartnerId" ON "partner_api_keys" ("PartnerId");


CREATE INDEX "IX_partner_order_history_OrderId" ON "partner_order_history" ("OrderId");


CREATE INDEX "IX_partner_orders_PartnerId_SortKey" ON "partner_orders" ("PartnerId", "SortKey");


CREATE INDEX "IX_partner_orders_PartnerId_Status_SortKey" ON "partner_orders" ("PartnerId", "Status", "SortKey");
