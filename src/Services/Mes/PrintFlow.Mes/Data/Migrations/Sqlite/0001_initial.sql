-- The schema of the EF model when migrations began: printflow-schema script mes sqlite
CREATE TABLE "mes_accounts" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_mes_accounts" PRIMARY KEY,
    "Email" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "LoadVersion" INTEGER NOT NULL
);


CREATE TABLE "mes_jobs" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_mes_jobs" PRIMARY KEY AUTOINCREMENT,
    "JobId" TEXT NOT NULL,
    "OrderId" TEXT NOT NULL,
    "OrderNumber" TEXT NOT NULL,
    "CustomerName" TEXT NOT NULL,
    "Channel" TEXT NOT NULL,
    "LeadTime" TEXT NOT NULL,
    "Priority" INTEGER NOT NULL,
    "DueDate" INTEGER NULL,
    "DueBy" INTEGER NOT NULL,
    "QuoteTotal" TEXT NOT NULL,
    "Currency" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "Stage" TEXT NOT NULL,
    "QueueRank" INTEGER NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "StageChangedAt" INTEGER NOT NULL,
    "AssignedToId" TEXT NULL,
    "AssignedToName" TEXT NULL,
    "AssignedAt" INTEGER NULL,
    "CancelReason" TEXT NULL,
    "Version" INTEGER NOT NULL
);


CREATE TABLE "mes_stage_counts" (
    "Stage" TEXT NOT NULL CONSTRAINT "PK_mes_stage_counts" PRIMARY KEY,
    "Count" INTEGER NOT NULL
);


CREATE TABLE "mes_job_items" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_mes_job_items" PRIMARY KEY AUTOINCREMENT,
    "JobId" INTEGER NOT NULL,
    "ItemId" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "Material" TEXT NOT NULL,
    "Quantity" INTEGER NOT NULL,
    "ModelSha256" TEXT NOT NULL,
    "SizeBytes" INTEGER NOT NULL,
    CONSTRAINT "FK_mes_job_items_mes_jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "mes_jobs" ("Id") ON DELETE CASCADE
);


CREATE TABLE "mes_job_steps" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_mes_job_steps" PRIMARY KEY AUTOINCREMENT,
    "JobId" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Stage" TEXT NOT NULL,
    "Sequence" INTEGER NULL,
    "ById" TEXT NOT NULL,
    "ByName" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Reason" TEXT NULL,
    CONSTRAINT "FK_mes_job_steps_mes_jobs_JobId" FOREIGN KEY ("JobId") REFERENCES "mes_jobs" ("Id") ON DELETE CASCADE
);


INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('Cancelled', 0);
SELECT changes();

INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('Delivered', 0);
SELECT changes();

INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('ManufacturingApproved', 0);
SELECT changes();

INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('Packed', 0);
SELECT changes();

INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('PostProcessing', 0);
SELECT changes();

INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('Printing', 0);
SELECT changes();

INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('QualityCheck', 0);
SELECT changes();

INSERT INTO "mes_stage_counts" ("Stage", "Count")
VALUES ('Shipped', 0);
SELECT changes();



CREATE UNIQUE INDEX "IX_mes_accounts_Email" ON "mes_accounts" ("Email");


CREATE INDEX "IX_mes_job_items_JobId" ON "mes_job_items" ("JobId");


CREATE INDEX "IX_mes_job_items_Material_JobId" ON "mes_job_items" ("Material", "JobId");


CREATE INDEX "IX_mes_job_steps_ById_At" ON "mes_job_steps" ("ById", "At");


CREATE INDEX "IX_mes_job_steps_JobId_Id" ON "mes_job_steps" ("JobId", "Id");


CREATE INDEX "IX_mes_jobs_AssignedToId_Stage" ON "mes_jobs" ("AssignedToId", "Stage");


CREATE UNIQUE INDEX "IX_mes_jobs_JobId" ON "mes_jobs" ("JobId");


CREATE UNIQUE INDEX "IX_mes_jobs_OrderId" ON "mes_jobs" ("OrderId");


CREATE INDEX "IX_mes_jobs_OrderNumber" ON "mes_jobs" ("OrderNumber");


CREATE INDEX "IX_mes_jobs_QueueRank_Priority_DueBy_CreatedAt_Id" ON "mes_jobs" ("QueueRank", "Priority", "DueBy", "CreatedAt", "Id");


CREATE INDEX "IX_mes_jobs_Stage_QueueRank_Priority_DueBy_CreatedAt_Id" ON "mes_jobs" ("Stage", "QueueRank", "Priority", "DueBy", "CreatedAt", "Id");
