-- Partner webhooks (decision 18): registered endpoints with their encrypted signing secrets, and one delivery row per
-- event per endpoint, staged in the transaction that handles the status event.
CREATE TABLE "webhook_endpoints" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY,
    "PartnerId" TEXT NOT NULL,
    "Url" TEXT NOT NULL,
    "Events" TEXT NOT NULL,
    "Description" TEXT NULL,
    "ProtectedSecret" TEXT NOT NULL,
    "ProtectedPreviousSecret" TEXT NULL,
    "PreviousSecretExpiresAt" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "SecretRotatedAt" INTEGER NULL,
    CONSTRAINT "FK_webhook_endpoints_partners_PartnerId" FOREIGN KEY ("PartnerId") REFERENCES "partners" ("Id") ON DELETE CASCADE
);


CREATE TABLE "webhook_deliveries" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY,
    "EndpointId" TEXT NOT NULL,
    "PartnerId" TEXT NOT NULL,
    "EventId" TEXT NOT NULL,
    "EventType" TEXT NOT NULL,
    "OrderId" TEXT NOT NULL,
    "Version" INTEGER NOT NULL,
    "Payload" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "RetryingSince" INTEGER NOT NULL,
    "LastAttemptAt" INTEGER NULL,
    "DeliveredAt" INTEGER NULL,
    "LastStatusCode" INTEGER NULL,
    "LastError" TEXT NULL,
    "ResponsePrefix" TEXT NULL,
    CONSTRAINT "FK_webhook_deliveries_webhook_endpoints_EndpointId" FOREIGN KEY ("EndpointId") REFERENCES "webhook_endpoints" ("Id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_webhook_deliveries_EndpointId_EventId" ON "webhook_deliveries" ("EndpointId", "EventId");
CREATE INDEX "IX_webhook_deliveries_OrderId_EndpointId" ON "webhook_deliveries" ("OrderId", "EndpointId");
CREATE INDEX "IX_webhook_deliveries_Status_NextAttemptAt" ON "webhook_deliveries" ("Status", "NextAttemptAt");
CREATE INDEX "IX_webhook_endpoints_PartnerId" ON "webhook_endpoints" ("PartnerId");
