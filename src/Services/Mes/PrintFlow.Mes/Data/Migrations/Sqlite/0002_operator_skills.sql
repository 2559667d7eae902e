-- The materials each person runs (take-next offers only jobs in them). People who existed before run everything,
-- as they effectively did; a supervisor narrows it on /mes/skills. SQLite cannot drop a column default, so the
-- table is rebuilt to match the model (no default).
CREATE TABLE "mes_accounts_new" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_mes_accounts" PRIMARY KEY,
    "Email" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "LoadVersion" INTEGER NOT NULL,
    "Skills" TEXT NOT NULL
);
INSERT INTO "mes_accounts_new" ("Id", "Email", "Name", "Role", "PasswordHash", "LoadVersion", "Skills")
SELECT "Id", "Email", "Name", "Role", "PasswordHash", "LoadVersion", 'PLA,PETG,ABS,Resin' FROM "mes_accounts";
DROP TABLE "mes_accounts";
ALTER TABLE "mes_accounts_new" RENAME TO "mes_accounts";
CREATE UNIQUE INDEX "IX_mes_accounts_Email" ON "mes_accounts" ("Email");
