-- Issue 26: instant quotes before sign-up (carts) and the ship-by date promised with an order.
ALTER TABLE "orders" ADD "ShipBy" INTEGER NULL;
CREATE TABLE "carts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_carts" PRIMARY KEY,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "LeadTime" TEXT NOT NULL,
    "Revision" INTEGER NOT NULL,
    "PricedRevision" INTEGER NOT NULL,
    "ItemsJson" TEXT NOT NULL,
    "PricingJson" TEXT NULL,
    "ConcurrencyStamp" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_carts_TokenHash" ON "carts" ("TokenHash");
CREATE INDEX "IX_carts_ExpiresAt" ON "carts" ("ExpiresAt");
