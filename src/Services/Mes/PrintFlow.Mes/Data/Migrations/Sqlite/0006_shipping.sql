-- Issue 25: the parcel's address (from the order), its carrier and tracking number (from "Ship"), and the carriers'
-- delivery callbacks, kept by carrier, tracking number and event id so a repeated event applies once.
ALTER TABLE "mes_jobs" ADD "ShipToJson" TEXT NULL;
ALTER TABLE "mes_jobs" ADD "Carrier" TEXT NULL;
ALTER TABLE "mes_jobs" ADD "TrackingNumber" TEXT NULL;
ALTER TABLE "mes_jobs" ADD "TrackingUrl" TEXT NULL;
ALTER TABLE "mes_jobs" ADD "ShippedAt" INTEGER NULL;
CREATE INDEX "IX_mes_jobs_Carrier_TrackingNumber" ON "mes_jobs" ("Carrier", "TrackingNumber");
CREATE TABLE "mes_carrier_events" (
    "Carrier" TEXT NOT NULL,
    "TrackingNumber" TEXT NOT NULL,
    "EventId" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "JobId" TEXT NOT NULL,
    "ReceivedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_mes_carrier_events" PRIMARY KEY ("Carrier", "TrackingNumber", "EventId")
);
