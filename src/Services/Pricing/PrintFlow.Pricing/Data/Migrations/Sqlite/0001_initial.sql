-- The schema of the EF model when migrations began: printflow-schema script pricing sqlite
CREATE TABLE "analysis_cache" (
    "Sha256" TEXT NOT NULL,
    "AnalysisVersion" INTEGER NOT NULL,
    "ResultJson" TEXT NOT NULL,
    "AnalysisMilliseconds" REAL NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_analysis_cache" PRIMARY KEY ("Sha256", "AnalysisVersion")
);


CREATE TABLE "exact_jobs" (
    "EstimateQuoteId" TEXT NOT NULL CONSTRAINT "PK_exact_jobs" PRIMARY KEY,
    "OrderId" TEXT NOT NULL,
    "RequestJson" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "ClaimedBy" TEXT NULL,
    "LeaseUntil" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CompletedAt" INTEGER NULL,
    "RefinedQuoteId" TEXT NULL,
    "FailureCode" TEXT NULL,
    "FailureReason" TEXT NULL
);


CREATE INDEX "IX_exact_jobs_OrderId" ON "exact_jobs" ("OrderId");


CREATE INDEX "IX_exact_jobs_State_CreatedAt" ON "exact_jobs" ("State", "CreatedAt");
