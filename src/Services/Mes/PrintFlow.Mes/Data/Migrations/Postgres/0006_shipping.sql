-- Issue 25: the parcel's address (from the order), its carrier and tracking number (from "Ship"), and the carriers'
-- delivery callbacks, kept by carrier, tracking number and event id so a repeated event applies once.
ALTER TABLE mes_jobs ADD "ShipToJson" text;
ALTER TABLE mes_jobs ADD "Carrier" character varying(32);
ALTER TABLE mes_jobs ADD "TrackingNumber" character varying(40);
ALTER TABLE mes_jobs ADD "TrackingUrl" character varying(500);
ALTER TABLE mes_jobs ADD "ShippedAt" timestamp with time zone;
CREATE INDEX "IX_mes_jobs_Carrier_TrackingNumber" ON mes_jobs ("Carrier", "TrackingNumber");
CREATE TABLE mes_carrier_events (
    "Carrier" character varying(32) NOT NULL,
    "TrackingNumber" character varying(40) NOT NULL,
    "EventId" character varying(100) NOT NULL,
    "Status" character varying(40) NOT NULL,
    "JobId" uuid NOT NULL,
    "ReceivedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_mes_carrier_events" PRIMARY KEY ("Carrier", "TrackingNumber", "EventId")
);
