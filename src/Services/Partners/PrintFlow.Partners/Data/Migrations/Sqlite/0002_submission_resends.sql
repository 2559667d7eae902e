-- Issue 5: Partners re-sends a submission Ordering never answered. Orders placed before count as sent when created.
ALTER TABLE "partner_orders" ADD "Resends" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "partner_orders" ADD "LastSentAt" INTEGER NULL;
UPDATE "partner_orders" SET "LastSentAt" = "CreatedAt";
CREATE INDEX "IX_partner_orders_Version_Resends_LastSentAt" ON "partner_orders" ("Version", "Resends", "LastSentAt");
