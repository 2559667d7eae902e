-- Issue 25: the order's shipping address and tracking, and each customer's address book.
ALTER TABLE orders ADD "ShipToJson" text;
ALTER TABLE orders ADD "ShipmentJson" text;
CREATE TABLE customer_addresses (
    "Id" uuid NOT NULL,
    "CustomerId" uuid NOT NULL,
    "Recipient" character varying(100) NOT NULL,
    "Line1" character varying(200) NOT NULL,
    "Line2" character varying(200),
    "City" character varying(100) NOT NULL,
    "Region" character varying(100),
    "PostalCode" character varying(12) NOT NULL,
    "Country" character varying(2) NOT NULL,
    "Phone" character varying(32),
    "CreatedAt" timestamp with time zone NOT NULL,
    "LastUsedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_customer_addresses" PRIMARY KEY ("Id")
);
CREATE INDEX "IX_customer_addresses_CustomerId_LastUsedAt" ON customer_addresses ("CustomerId", "LastUsedAt");
