-- Issue 26: instant quotes before sign-up (carts) and the ship-by date promised with an order.
ALTER TABLE orders ADD "ShipBy" timestamp with time zone;
CREATE TABLE carts (
    "Id" uuid NOT NULL,
    "TokenHash" character varying(64) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "LeadTime" character varying(20) NOT NULL,
    "Revision" integer NOT NULL,
    "PricedRevision" integer NOT NULL,
    "ItemsJson" text NOT NULL,
    "PricingJson" text,
    "ConcurrencyStamp" integer NOT NULL,
    CONSTRAINT "PK_carts" PRIMARY KEY ("Id")
);
CREATE UNIQUE INDEX "IX_carts_TokenHash" ON carts ("TokenHash");
CREATE INDEX "IX_carts_ExpiresAt" ON carts ("ExpiresAt");
