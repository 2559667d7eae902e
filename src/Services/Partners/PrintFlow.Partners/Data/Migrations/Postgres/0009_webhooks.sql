-- Partner webhooks (decision 18): registered endpoints with their encrypted signing secrets, and one delivery row per
-- event per endpoint, staged in the transaction that handles the status event.
CREATE TABLE webhook_endpoints (
    "Id" uuid NOT NULL,
    "PartnerId" uuid NOT NULL,
    "Url" character varying(8192) NOT NULL,
    "Events" character varying(500) NOT NULL,
    "Description" character varying(200),
    "ProtectedSecret" character varying(1000) NOT NULL,
    "ProtectedPreviousSecret" character varying(1000),
    "PreviousSecretExpiresAt" timestamp with time zone,
    "CreatedAt" timestamp with time zone NOT NULL,
    "SecretRotatedAt" timestamp with time zone,
    CONSTRAINT "PK_webhook_endpoints" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_webhook_endpoints_partners_PartnerId" FOREIGN KEY ("PartnerId") REFERENCES partners ("Id") ON DELETE CASCADE
);

CREATE TABLE webhook_deliveries (
    "Id" uuid NOT NULL,
    "EndpointId" uuid NOT NULL,
    "PartnerId" uuid NOT NULL,
    "EventId" uuid NOT NULL,
    "EventType" character varying(64) NOT NULL,
    "OrderId" uuid NOT NULL,
    "Version" integer NOT NULL,
    "Payload" text NOT NULL,
    "Status" character varying(16) NOT NULL,
    "Attempts" integer NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "NextAttemptAt" timestamp with time zone NOT NULL,
    "RetryingSince" timestamp with time zone NOT NULL,
    "LastAttemptAt" timestamp with time zone,
    "DeliveredAt" timestamp with time zone,
    "LastStatusCode" integer,
    "LastError" character varying(500),
    "ResponsePrefix" character varying(4096),
    CONSTRAINT "PK_webhook_deliveries" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_webhook_deliveries_webhook_endpoints_EndpointId" FOREIGN KEY ("EndpointId") REFERENCES webhook_endpoints ("Id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_webhook_deliveries_EndpointId_EventId" ON webhook_deliveries ("EndpointId", "EventId");
CREATE INDEX "IX_webhook_deliveries_OrderId_EndpointId" ON webhook_deliveries ("OrderId", "EndpointId");
CREATE INDEX "IX_webhook_deliveries_Status_NextAttemptAt" ON webhook_deliveries ("Status", "NextAttemptAt");
CREATE INDEX "IX_webhook_endpoints_PartnerId" ON webhook_endpoints ("PartnerId");
