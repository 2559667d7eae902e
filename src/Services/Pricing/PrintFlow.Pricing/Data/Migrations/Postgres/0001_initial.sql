-- The schema of the EF model when migrations began: printflow-schema script pricing postgres
CREATE TABLE analysis_cache (
    "Sha256" character varying(64) NOT NULL,
    "AnalysisVersion" integer NOT NULL,
    "ResultJson" text NOT NULL,
    "AnalysisMilliseconds" double precision NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_analysis_cache" PRIMARY KEY ("Sha256", "AnalysisVersion")
);


CREATE TABLE exact_jobs (
    "EstimateQuoteId" uuid NOT NULL,
    "OrderId" uuid NOT NULL,
    "RequestJson" text NOT NULL,
    "State" character varying(16) NOT NULL,
    "Attempts" integer NOT NULL,
    "ClaimedBy" uuid,
    "LeaseUntil" timestamp with time zone,
    "CreatedAt" timestamp with time zone NOT NULL,
    "CompletedAt" timestamp with time zone,
    "RefinedQuoteId" uuid,
    "FailureCode" character varying(64),
    "FailureReason" text,
    CONSTRAINT "PK_exact_jobs" PRIMARY KEY ("EstimateQuoteId")
);


CREATE INDEX "IX_exact_jobs_OrderId" ON exact_jobs ("OrderId");


CREATE INDEX "IX_exact_jobs_State_CreatedAt" ON exact_jobs ("State", "CreatedAt");
