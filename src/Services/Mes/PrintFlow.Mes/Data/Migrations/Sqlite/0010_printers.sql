-- Issue 27: printers as MES data (capabilities, loaded material, state, OctoPrint address and protected key), and on
-- each job the printer and print that make it, whether it waits for a printer, and why no printer fits it; on each
-- item its size, colour and estimated print time, for scheduling.
CREATE TABLE "mes_printers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_mes_printers" PRIMARY KEY AUTOINCREMENT,
    "PrinterId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Technology" TEXT NOT NULL,
    "Model" TEXT NOT NULL,
    "SlicerProfile" TEXT NOT NULL,
    "BuildX" REAL NOT NULL,
    "BuildY" REAL NOT NULL,
    "BuildZ" REAL NOT NULL,
    "NozzleMm" REAL NULL,
    "Material" TEXT NULL,
    "Colour" TEXT NULL,
    "State" TEXT NOT NULL,
    "StateSince" INTEGER NOT NULL,
    "BaseUrl" TEXT NOT NULL,
    "ApiKeyProtected" TEXT NOT NULL,
    "ApiKeyHint" TEXT NOT NULL,
    "CurrentPrintId" TEXT NULL,
    "CurrentFileName" TEXT NULL,
    "PrintUploaded" INTEGER NOT NULL,
    "Progress" REAL NULL,
    "SecondsLeft" INTEGER NULL,
    "ErrorCode" TEXT NULL,
    "ErrorMessage" TEXT NULL,
    "LastSeenAt" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL
);
ALTER TABLE "mes_jobs" ADD "AwaitingPrinter" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "mes_jobs" ADD "PrinterId" TEXT NULL;
ALTER TABLE "mes_jobs" ADD "PrinterName" TEXT NULL;
ALTER TABLE "mes_jobs" ADD "PrintId" TEXT NULL;
ALTER TABLE "mes_jobs" ADD "PrintAttempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "mes_jobs" ADD "UnschedulableReason" TEXT NULL;
ALTER TABLE "mes_job_items" ADD "SizeX" REAL NULL;
ALTER TABLE "mes_job_items" ADD "SizeY" REAL NULL;
ALTER TABLE "mes_job_items" ADD "SizeZ" REAL NULL;
ALTER TABLE "mes_job_items" ADD "Colour" TEXT NULL;
ALTER TABLE "mes_job_items" ADD "PrintHours" REAL NULL;
CREATE INDEX "IX_mes_jobs_PrintId" ON "mes_jobs" ("PrintId");
CREATE UNIQUE INDEX "IX_mes_printers_Name" ON "mes_printers" ("Name");
CREATE UNIQUE INDEX "IX_mes_printers_PrinterId" ON "mes_printers" ("PrinterId");
