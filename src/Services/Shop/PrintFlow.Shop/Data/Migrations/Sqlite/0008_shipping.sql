-- Issue 25: the order's shipping address and tracking, and each customer's address book.
ALTER TABLE "orders" ADD "ShipToJson" TEXT NULL;
ALTER TABLE "orders" ADD "ShipmentJson" TEXT NULL;
CREATE TABLE "customer_addresses" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_customer_addresses" PRIMARY KEY,
    "CustomerId" TEXT NOT NULL,
    "Recipient" TEXT NOT NULL,
    "Line1" TEXT NOT NULL,
    "Line2" TEXT NULL,
    "City" TEXT NOT NULL,
    "Region" TEXT NULL,
    "PostalCode" TEXT NOT NULL,
    "Country" TEXT NOT NULL,
    "Phone" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "LastUsedAt" INTEGER NOT NULL
);
CREATE INDEX "IX_customer_addresses_CustomerId_LastUsedAt" ON "customer_addresses" ("CustomerId", "LastUsedAt");
