-- The schema of the EF model when migrations began: printflow-schema script crm postgres
CREATE TABLE customers (
    "Channel" character varying(20) NOT NULL,
    "CustomerId" character varying(200) NOT NULL,
    "Name" text NOT NULL,
    "Email" text NOT NULL,
    "SearchText" text NOT NULL,
    "FirstOrderAt" timestamp with time zone,
    "LastOrderAt" timestamp with time zone,
    "OrderCount" integer NOT NULL,
    "Revenue" numeric NOT NULL,
    "Currency" text,
    "ConcurrencyStamp" integer NOT NULL,
    CONSTRAINT "PK_customers" PRIMARY KEY ("Channel", "CustomerId")
);


CREATE TABLE notes (
    "Id" uuid NOT NULL,
    "Channel" character varying(20) NOT NULL,
    "CustomerId" text NOT NULL,
    "Author" text NOT NULL,
    "Text" text NOT NULL,
    "At" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_notes" PRIMARY KEY ("Id")
);


CREATE TABLE orders (
    "OrderId" uuid NOT NULL,
    "Channel" character varying(20) NOT NULL,
    "CustomerId" text NOT NULL,
    "Status" character varying(40) NOT NULL,
    "Version" integer NOT NULL,
    "ItemCount" integer NOT NULL,
    "Amount" numeric,
    "Currency" text,
    "SubmittedAt" timestamp with time zone NOT NULL,
    "SubmissionSeen" boolean NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    "RevenueCounted" boolean NOT NULL,
    CONSTRAINT "PK_orders" PRIMARY KEY ("OrderId")
);


CREATE TABLE sales_managers (
    "Id" uuid NOT NULL,
    "Email" text NOT NULL,
    "DisplayName" text NOT NULL,
    "PasswordHash" text NOT NULL,
    CONSTRAINT "PK_sales_managers" PRIMARY KEY ("Id")
);


CREATE INDEX "IX_customers_LastOrderAt" ON customers ("LastOrderAt");


CREATE INDEX "IX_notes_Channel_CustomerId_At" ON notes ("Channel", "CustomerId", "At");


CREATE INDEX "IX_orders_Channel_CustomerId_SubmittedAt" ON orders ("Channel", "CustomerId", "SubmittedAt");


CREATE UNIQUE INDEX "IX_sales_managers_Email" ON sales_managers ("Email");
