-- The schema of the EF model when migrations began: printflow-schema script notifications postgres
CREATE TABLE customer_preferences (
    "CustomerId" character varying(200) NOT NULL,
    "OptionalOff" boolean NOT NULL,
    "Language" character varying(8),
    "UpdatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_customer_preferences" PRIMARY KEY ("CustomerId")
);


CREATE TABLE notifications (
    "Id" uuid NOT NULL,
    "EventKey" character varying(200) NOT NULL,
    "Kind" character varying(40) NOT NULL,
    "Recipient" character varying(320) NOT NULL,
    "RecipientName" character varying(300) NOT NULL,
    "OrderId" uuid NOT NULL,
    "CustomerId" character varying(200) NOT NULL,
    "Language" character varying(8) NOT NULL,
    "Subject" character varying(400) NOT NULL,
    "HtmlBody" text NOT NULL,
    "TextBody" text NOT NULL,
    "UnsubscribeUrl" text NOT NULL,
    "EventAt" timestamp with time zone NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "State" character varying(20) NOT NULL,
    "Attempts" integer NOT NULL,
    "NextAttemptAt" timestamp with time zone NOT NULL,
    "LastAttemptAt" timestamp with time zone,
    "SentAt" timestamp with time zone,
    "ParkedAt" timestamp with time zone,
    "LastError" character varying(500),
    "LockedBy" uuid,
    "LockedUntil" timestamp with time zone,
    CONSTRAINT "PK_notifications" PRIMARY KEY ("Id")
);


CREATE INDEX "IX_notifications_CreatedAt" ON notifications ("CreatedAt");


CREATE UNIQUE INDEX "IX_notifications_EventKey_Recipient_Kind" ON notifications ("EventKey", "Recipient", "Kind");


CREATE INDEX "IX_notifications_Pending" ON notifications ("NextAttemptAt") WHERE "State" = 'Pending';
