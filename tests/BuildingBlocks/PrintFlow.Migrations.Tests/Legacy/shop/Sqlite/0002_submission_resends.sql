-- Issue 5: the shop re-sends a submission Ordering never answered. Orders placed before count as sent at submission.
ALTER TABLE "orders" ADD "Resends" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "orders" ADD "LastSentAt" INTEGER NULL;
UPDATE "orders" SET "LastSentAt" = "SubmittedAt";
CREATE INDEX "IX_orders_Version_Resends_LastSentAt" ON "orders" ("Version", "Resends", "LastSentAt");
