-- Sessions end on logout: the cookie carries a session id, and this service (which owns the accounts) keeps the row.
CREATE TABLE "account_sessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_account_sessions" PRIMARY KEY,
    "AccountId" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "EndedAt" INTEGER NULL
);
CREATE INDEX "IX_account_sessions_ExpiresAt" ON "account_sessions" ("ExpiresAt");
