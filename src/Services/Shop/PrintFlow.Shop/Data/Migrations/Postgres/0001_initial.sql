-- The schema of the EF model when migrations began: printflow-schema script shop postgres
CREATE TABLE customers (
    "Id" uuid NOT NULL,
    "Email" character varying(320) NOT NULL,
    "DisplayName" character varying(200) NOT NULL,
    "PasswordHash" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_customers" PRIMARY KEY ("Id")
);


CREATE TABLE orders (
    "Id" uuid NOT NULL,
    "CustomerId" uuid NOT NULL,
    "CustomerName" text NOT NULL,
    "CustomerEmail" text NOT NULL,
    "Status" character varying(40) NOT NULL,
    "Version" integer NOT NULL,
    "LeadTime" character varying(20) NOT NULL,
    "SubmittedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    "LastReason" text,
    "Message" text,
    "MessageAt" timestamp with time zone,
    "ConfirmationRequestedFor" uuid,
    "CancellationRequestedAt" timestamp with time zone,
    "ConcurrencyStamp" integer NOT NULL,
    "ItemsJson" text NOT NULL,
    "HistoryJson" text NOT NULL,
    "QuoteJson" text,
    CONSTRAINT "PK_orders" PRIMARY KEY ("Id")
);


CREATE UNIQUE INDEX "IX_customers_Email" ON customers ("Email");


CREATE INDEX "IX_orders_CustomerId_SubmittedAt" ON orders ("CustomerId", "SubmittedAt");
